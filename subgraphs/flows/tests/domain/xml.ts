import { XMLParser, XMLValidator } from 'fast-xml-parser';

export interface XmlElement {
  name: string;
  attributes: Record<string, string>;
  children: XmlElement[];
  /** The element's own text nodes, joined. */
  text: string;
}

type Ordered = Record<string, unknown> & { ':@'?: Record<string, string> };

/** Validates, then parses to a plain tree: the SVG exporter's output is read like any XML file. */
export function parseXml(xml: string): XmlElement {
  const valid = XMLValidator.validate(xml);
  if (valid !== true) throw new Error(`invalid XML: ${JSON.stringify(valid.err)}`);
  const parser = new XMLParser({
    ignoreAttributes: false,
    attributeNamePrefix: '',
    preserveOrder: true,
    trimValues: false,
    htmlEntities: true,
  });
  const toElement = (item: Ordered): XmlElement | null => {
    const name = Object.keys(item).find((key) => key !== ':@')!;
    if (name === '#text' || name.startsWith('?')) return null;
    const content = item[name] as Ordered[];
    return {
      name,
      attributes: item[':@'] ?? {},
      children: content.map(toElement).filter((child): child is XmlElement => child !== null),
      text: content.map((child) => (child['#text'] === undefined ? '' : String(child['#text']))).join(''),
    };
  };
  const roots = (parser.parse(xml) as Ordered[]).map(toElement).filter((el): el is XmlElement => el !== null);
  if (roots.length !== 1) throw new Error(`expected one root element, found ${roots.length}`);
  return roots[0]!;
}

export function findAll(element: XmlElement, test: (el: XmlElement) => boolean): XmlElement[] {
  return [...(test(element) ? [element] : []), ...element.children.flatMap((child) => findAll(child, test))];
}
