// Unit tests of the widget's pure helpers: `node --test` (make test-unit runs them).
import { test } from "node:test";
import assert from "node:assert/strict";
import { contrastingText, hexColor, safeLink, splitPhones, telHref } from "../src/format.js";

test("text colour on the brand colour is the more readable of black and white", () => {
  assert.equal(contrastingText("#005eb8"), "#ffffff");
  assert.equal(contrastingText("#ffdd00"), "#000000");
  assert.equal(contrastingText("#fff"), "#000000");
  assert.equal(contrastingText("not a colour"), "#ffffff");
});

test("tel links keep only digits and a leading plus", () => {
  assert.equal(telHref("020 7946 0999"), "tel:02079460999");
  assert.equal(telHref("+44 (0)20 7946-0000"), "tel:+4402079460000");
});

test("the clinic's numbers become phone parts, longest first, not inside other numbers", () => {
  const parts = splitPhones("Call 020 7946 0999 (24 hours) or 999 now, not 19990.",
                            ["999", "020 7946 0999"]);
  assert.deepEqual(parts.filter((p) => p.phone).map((p) => p.text), ["020 7946 0999", "999"]);
  assert.equal(parts.map((p) => p.text).join(""), "Call 020 7946 0999 (24 hours) or 999 now, not 19990.");
  assert.deepEqual(splitPhones("no numbers known", []), [{ text: "no numbers known" }]);
  assert.deepEqual(splitPhones("1 in 200", ["999"]), [{ text: "1 in 200" }]);
});

test("only http(s) sources become links", () => {
  assert.equal(safeLink("https://www.nhs.uk/conditions/amniocentesis/"),
               "https://www.nhs.uk/conditions/amniocentesis/");
  assert.equal(safeLink("javascript:alert(1)"), null);
  assert.equal(safeLink("clinic.yml"), null);
  assert.equal(safeLink(undefined), null);
});

test("only hex colours reach the widget's stylesheet", () => {
  assert.equal(hexColor("#005eb8", "#000000"), "#005eb8");
  assert.equal(hexColor(" #FFF ", "#000000"), "#FFF");
  assert.equal(hexColor("red;}body{display:none", "#005eb8"), "#005eb8");
  assert.equal(hexColor(undefined, "#005eb8"), "#005eb8");
});
