// Small pure helpers of the widget: colours, phone links and safe source links.

// Black or white, whichever reads better on `color` (WCAG relative luminance).
export function contrastingText(color) {
  const rgb = parseHex(color);
  if (!rgb) return "#ffffff";
  const [r, g, b] = rgb.map((c) => {
    const s = c / 255;
    return s <= 0.03928 ? s / 12.92 : ((s + 0.055) / 1.055) ** 2.4;
  });
  const luminance = 0.2126 * r + 0.7152 * g + 0.0722 * b;
  // contrast with white (1.05 / (L + 0.05)) against contrast with black ((L + 0.05) / 0.05)
  return 1.05 / (luminance + 0.05) >= (luminance + 0.05) / 0.05 ? "#ffffff" : "#000000";
}

// `color` when it is a hex colour ("#005eb8", "#fff"), else `fallback`: a page's setting
// goes into the widget's stylesheet, so nothing else may.
export function hexColor(color, fallback) {
  return parseHex(color) ? String(color).trim() : fallback;
}

function parseHex(color) {
  const match = /^#?([0-9a-f]{3}|[0-9a-f]{6})$/i.exec(String(color || "").trim());
  if (!match) return null;
  const hex = match[1].length === 3 ? match[1].replace(/./g, "$&$&") : match[1];
  return [0, 2, 4].map((i) => parseInt(hex.slice(i, i + 2), 16));
}

// "tel:" link for a number as written ("020 7946 0999" -> "tel:02079460999").
export function telHref(number) {
  return "tel:" + String(number).replace(/[^\d+]/g, "");
}

// The text cut into plain parts and the clinic's phone numbers (longest first, so
// "020 7946 0999" wins over "999"; a number inside a longer run of digits is not one).
export function splitPhones(text, numbers) {
  const known = [...new Set((numbers || []).filter(Boolean))].sort((a, b) => b.length - a.length);
  if (!known.length) return [{ text }];
  const escaped = known.map((n) => n.replace(/[.*+?^${}()|[\]\\]/g, "\\$&"));
  const pattern = new RegExp(`(?<![\\d+])(${escaped.join("|")})(?!\\d)`, "g");
  const parts = [];
  let last = 0;
  for (const match of text.matchAll(pattern)) {
    if (match.index > last) parts.push({ text: text.slice(last, match.index) });
    parts.push({ text: match[0], phone: true });
    last = match.index + match[0].length;
  }
  if (last < text.length) parts.push({ text: text.slice(last) });
  return parts;
}

// Only http(s) sources become links; anything else (javascript:, a file name) does not.
export function safeLink(url) {
  try {
    const parsed = new URL(String(url));
    return parsed.protocol === "https:" || parsed.protocol === "http:" ? parsed.href : null;
  } catch (error) {
    return null;
  }
}
