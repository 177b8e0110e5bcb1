// A small, strict XML reader for the SOAP requests the simulated cameras receive: elements, attributes, text,
// CDATA, the five named entities and character references. Namespace prefixes are kept (`qname`) but the
// ONVIF handlers match local names, as cameras do. No DTDs (no entity expansion of any kind), and limits on
// depth and element count, so that a hostile body costs little.

export interface XmlElement {
  /** The local name, without its prefix. */
  name: string;
  qname: string;
  /** Attributes by local name (`s:mustUnderstand` → `mustUnderstand`); xmlns declarations are left out. */
  attrs: Record<string, string>;
  children: XmlElement[];
  /** The element's own text (CDATA included), children's text excluded. */
  text: string;
}

export class XmlError extends Error {}

const NAME = /^[A-Za-z_][\w.-]*(?::[A-Za-z_][\w.-]*)?/;
const ENTITIES: Record<string, string> = { lt: '<', gt: '>', amp: '&', quot: '"', apos: "'" };

export function parseXml(src: string, limits: { maxDepth?: number; maxElements?: number } = {}): XmlElement {
  const maxDepth = limits.maxDepth ?? 40;
  const maxElements = limits.maxElements ?? 4000;
  let i = src.charCodeAt(0) === 0xfeff ? 1 : 0;
  let count = 0;
  const stack: XmlElement[] = [];
  let root: XmlElement | null = null;
  const fail = (what: string): never => {
    throw new XmlError(`malformed XML at offset ${i}: ${what}`);
  };

  while (i < src.length) {
    const lt = src.indexOf('<', i);
    const textEnd = lt === -1 ? src.length : lt;
    if (textEnd > i) {
      const raw = src.slice(i, textEnd);
      if (stack.length) stack[stack.length - 1].text += decode(raw, fail);
      else if (raw.trim()) fail('text outside the root element');
      i = textEnd;
      continue;
    }
    if (src.startsWith('<?', i)) {
      const end = src.indexOf('?>', i + 2);
      if (end === -1) fail('unterminated processing instruction');
      i = end + 2;
    } else if (src.startsWith('<!--', i)) {
      const end = src.indexOf('-->', i + 4);
      if (end === -1) fail('unterminated comment');
      i = end + 3;
    } else if (src.startsWith('<![CDATA[', i)) {
      if (!stack.length) fail('CDATA outside the root element');
      const end = src.indexOf(']]>', i + 9);
      if (end === -1) fail('unterminated CDATA');
      stack[stack.length - 1].text += src.slice(i + 9, end);
      i = end + 3;
    } else if (src.startsWith('<!', i)) {
      fail('DTDs and declarations are not accepted');
    } else if (src.startsWith('</', i)) {
      const m = NAME.exec(src.slice(i + 2, i + 2 + 200));
      if (!m) fail('bad end tag');
      const open = stack.pop();
      if (!open || open.qname !== m![0]) fail(`end tag </${m![0]}> does not close <${open?.qname ?? 'nothing'}>`);
      i += 2 + m![0].length;
      while (/\s/.test(src[i] ?? '')) i++;
      if (src[i] !== '>') fail('bad end tag');
      i++;
    } else {
      i++;
      const m = NAME.exec(src.slice(i, i + 200));
      if (!m) fail('bad start tag');
      const qname = m![0];
      i += qname.length;
      const el: XmlElement = { name: localName(qname), qname, attrs: {}, children: [], text: '' };
      if (++count > maxElements) fail(`more than ${maxElements} elements`);
      let selfClosing = false;
      for (;;) {
        while (/\s/.test(src[i] ?? '')) i++;
        if (src[i] === '>') {
          i++;
          break;
        }
        if (src.startsWith('/>', i)) {
          i += 2;
          selfClosing = true;
          break;
        }
        const a = NAME.exec(src.slice(i, i + 200));
        if (!a) fail(`bad attribute in <${qname}>`);
        i += a![0].length;
        while (/\s/.test(src[i] ?? '')) i++;
        if (src[i] !== '=') fail(`attribute ${a![0]} without a value`);
        i++;
        while (/\s/.test(src[i] ?? '')) i++;
        const quote = src[i];
        if (quote !== '"' && quote !== "'") fail(`attribute ${a![0]} value not quoted`);
        const end = src.indexOf(quote, i + 1);
        if (end === -1) fail('unterminated attribute value');
        const value = decode(src.slice(i + 1, end), fail);
        i = end + 1;
        if (a![0] !== 'xmlns' && !a![0].startsWith('xmlns:')) el.attrs[localName(a![0])] = value;
      }
      if (stack.length) stack[stack.length - 1].children.push(el);
      else if (root) fail('more than one root element');
      else root = el;
      if (!selfClosing) {
        stack.push(el);
        if (stack.length > maxDepth) fail(`nested deeper than ${maxDepth}`);
      }
    }
  }
  if (stack.length) fail(`<${stack[stack.length - 1].qname}> is not closed`);
  if (!root) fail('no root element');
  return root!;
}

function localName(qname: string): string {
  const colon = qname.indexOf(':');
  return colon === -1 ? qname : qname.slice(colon + 1);
}

function decode(raw: string, fail: (what: string) => never): string {
  if (raw.includes('<')) fail('"<" in text');
  return raw.replace(/&([^;&\s]{1,10});/g, (_, ref: string) => {
    if (ref.startsWith('#x')) return fromCode(parseInt(ref.slice(2), 16), fail);
    if (ref.startsWith('#')) return fromCode(parseInt(ref.slice(1), 10), fail);
    const named = ENTITIES[ref];
    if (named === undefined) fail(`unknown entity &${ref};`);
    return named;
  });
}

function fromCode(code: number, fail: (what: string) => never): string {
  if (!Number.isInteger(code) || code < 1 || code > 0x10ffff) fail('bad character reference');
  return String.fromCodePoint(code);
}

/** The first child with this local name. */
export function child(el: XmlElement | undefined, name: string): XmlElement | undefined {
  return el?.children.find((c) => c.name === name);
}

/** The text of the descendant reached by these local names, trimmed; undefined when absent. */
export function textAt(el: XmlElement | undefined, ...path: string[]): string | undefined {
  let at = el;
  for (const name of path) at = child(at, name);
  return at?.text.trim();
}

/** Escapes text and attribute values for the answers built from templates. */
export function esc(value: string | number | boolean): string {
  return String(value).replace(/[&<>"']/g, (c) => ({ '&': '&amp;', '<': '&lt;', '>': '&gt;', '"': '&quot;', "'": '&apos;' })[c]!);
}
