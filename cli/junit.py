"""`casus test --junit FILE`: expectation checks as JUnit XML, the format CI systems
read (pytest's --junitxml and `opa test` write the same shape)."""

from __future__ import annotations

from xml.etree import ElementTree as ET


def junit_xml(checks, law: str) -> str:
    """One <testcase> per (case, provision, variant) check; a failed reading is a <failure>."""
    root = ET.Element("testsuites")
    suite = ET.SubElement(root, "testsuite", name="casus", tests=str(len(checks)),
                       failures=str(sum(not c.passed for c in checks)), errors="0", skipped="0")
    props = ET.SubElement(suite, "properties")
    ET.SubElement(props, "property", name="law", value=law)
    for c in checks:
        name = c.provision + (f" [variant {c.variant}]" if c.variant else "")
        case = ET.SubElement(suite, "testcase", classname=f"casus.{c.case}", name=name)
        if not c.passed:
            failure = ET.SubElement(case, "failure", message="; ".join(c.problems), type="reading")
            failure.text = "\n".join(c.problems)
    ET.indent(root)
    return '<?xml version="1.0" encoding="utf-8"?>\n' + ET.tostring(root, encoding="unicode") + "\n"
