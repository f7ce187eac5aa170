"""`casus test --junit FILE` and `casus check --junit FILE`: expectation checks and the
law's properties as JUnit XML, the format CI systems read (pytest's --junitxml and `opa test`
write the same shape)."""

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


def check_junit_xml(report: dict, law: str) -> str:
    """One <testcase> per property `casus check` reports; a property that fails is a <failure>
    whose text is its detail and, where there is one, its counterexample case file."""
    import yaml
    props = report["properties"]
    root = ET.Element("testsuites")
    suite = ET.SubElement(root, "testsuite", name="casus check", tests=str(len(props)),
                          failures=str(sum(not p["passed"] for p in props)), errors="0", skipped="0")
    meta = ET.SubElement(suite, "properties")
    ET.SubElement(meta, "property", name="law", value=law)
    for p in props:
        how = p.get("mode", "")
        case = ET.SubElement(suite, "testcase", classname="casus.check", name=f"{p['property']}" + (f" ({how})" if how else ""))
        if not p["passed"]:
            failure = ET.SubElement(case, "failure", message=str(p.get("detail") or p["property"]), type="property")
            text = str(p.get("detail") or "")
            if p.get("counterexample"):
                text += "\n\ncounterexample:\n" + yaml.safe_dump(p["counterexample"], sort_keys=False, allow_unicode=True)
            failure.text = text
    ET.indent(root)
    return '<?xml version="1.0" encoding="utf-8"?>\n' + ET.tostring(root, encoding="unicode") + "\n"
