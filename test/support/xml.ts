/**
 * Reading our XML back in tests, with parsers that are not ours.
 *
 * `parseXmlStrict` runs saxes, a conformant XML 1.0 well-formedness checker (xmlbuilder2's own
 * parser accepts malformed documents such as `<a><b></a>`, so it cannot prove well-formedness),
 * and builds a small element tree. `xmlToObject` reads a document with xmlbuilder2.
 */
import { SaxesParser } from 'saxes';
import { create } from 'xmlbuilder2';

export interface XmlElement {
  readonly name: string;
  readonly children: XmlElement[];
  text: string;
}

/** Parse strictly; throws on any well-formedness error. Returns the root element. */
export function parseXmlStrict(xml: string): XmlElement {
  const parser = new SaxesParser({ xmlns: false });
  const stack: XmlElement[] = [];
  let root: XmlElement | undefined;
  let failure: Error | undefined;
  parser.on('error', (err) => {
    failure ??= err;
  });
  parser.on('opentag', (tag) => {
    if (Object.keys(tag.attributes).length > 0) failure ??= new Error(`unexpected attributes on <${tag.name}>`);
    const element: XmlElement = { name: tag.name, children: [], text: '' };
    const parent = stack[stack.length - 1];
    if (parent) parent.children.push(element);
    else root = element;
    stack.push(element);
  });
  parser.on('text', (text) => {
    const current = stack[stack.length - 1];
    if (current) current.text += text;
  });
  parser.on('cdata', (text) => {
    const current = stack[stack.length - 1];
    if (current) current.text += text;
  });
  parser.on('closetag', () => {
    stack.pop();
  });
  parser.write(xml).close();
  if (failure) throw failure;
  if (!root) throw new Error('no root element');
  return root;
}

/** The child elements of `element` named `name`. */
export function childrenNamed(element: XmlElement, name: string): XmlElement[] {
  return element.children.filter((c) => c.name === name);
}

/** The text of the single child `name`; throws when absent or repeated. */
export function childText(element: XmlElement, name: string): string {
  const found = childrenNamed(element, name);
  if (found.length !== 1) throw new Error(`expected one <${name}> in <${element.name}>, found ${found.length}`);
  return (found[0] as XmlElement).text;
}

/** The names of the children, in order. */
export function childNames(element: XmlElement): string[] {
  return element.children.map((c) => c.name);
}

/** Read a document with xmlbuilder2 into a plain object (an independent reader). */
export function xmlToObject(xml: string): Record<string, unknown> {
  return create(xml).end({ format: 'object' }) as Record<string, unknown>;
}
