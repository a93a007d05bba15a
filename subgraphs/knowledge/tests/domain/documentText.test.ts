import { describe, expect, it } from 'vitest';
import { AppError } from '#internal/errors';
import {
  KNOWLEDGE_LIMITS,
  KnowledgeFormat,
  MAX_NESTING,
  checkContent,
  checkDocumentText,
  checkSource,
  checkTags,
  checkTitle,
  toDocumentText,
} from '../../src/domain/documentText.js';

/** The BAD_USER_INPUT error `check` throws. */
function refusal(check: () => void): AppError {
  try {
    check();
  } catch (error) {
    expect(error).toBeInstanceOf(AppError);
    expect((error as AppError).extensions.code).toBe('BAD_USER_INPUT');
    return error as AppError;
  }
  throw new Error('expected a refusal');
}

const html = (content: string) => toDocumentText(content, KnowledgeFormat.HTML);

describe('checkContent', () => {
  it('accepts text with tabs, line breaks and any Unicode', () => {
    expect(() => checkContent('a\tb\r\nc\rd\ne — ünïcödé 😀 中文')).not.toThrow();
  });

  it('refuses empty and whitespace-only content, naming the field', () => {
    expect(refusal(() => checkContent('')).extensions.field).toBe('content');
    expect(refusal(() => checkContent(' \n\t\r\n ')).message).toBe('The content is empty.');
    expect(refusal(() => checkContent('\u00a0\u2003', 'input.content')).extensions.field).toBe('input.content');
  });

  it('counts the limit in UTF-8 bytes: exactly 1 MiB passes, one byte more does not', () => {
    const limit = KNOWLEDGE_LIMITS.contentBytes;
    expect(limit).toBe(1_048_576);
    expect(() => checkContent('a'.repeat(limit))).not.toThrow();
    expect(refusal(() => checkContent('a'.repeat(limit + 1), 'body')).extensions.field).toBe('body');
    // 'é' is two bytes: half as many characters reach the limit.
    expect(() => checkContent('é'.repeat(limit / 2))).not.toThrow();
    const over = refusal(() => checkContent(`${'é'.repeat(limit / 2)}a`));
    expect(over.message).toMatch(/larger than 1 MiB/);
    expect(over.extensions.field).toBe('content');
    // Four bytes for one code point, two UTF-16 units.
    expect(() => checkContent('😀'.repeat(limit / 4))).not.toThrow();
    expect(refusal(() => checkContent(`${'😀'.repeat(limit / 4)}a`)).extensions.field).toBe('content');
  });

  it.each([
    ['NUL', 'text\u0000more'],
    ['BEL', '\u0007'],
    ['backspace', 'a\u0008'],
    ['vertical tab', 'a\u000bb'],
    ['form feed', 'a\u000cb'],
    ['escape', 'a\u001b[31mred'],
    ['unit separator', '\u001f'],
  ])('refuses binary content (%s)', (_name, content) => {
    const error = refusal(() => checkContent(content, 'file'));
    expect(error.message).toMatch(/binary/);
    expect(error.extensions.field).toBe('file');
  });

  it('refuses lone surrogates, which UTF-8 cannot encode, and accepts pairs', () => {
    for (const content of ['a\ud800b', 'a\udc00b', 'end\ud83d', '\ude00start', '😀\ude00']) {
      const error = refusal(() => checkContent(content));
      expect(error.message).toMatch(/lone surrogate/);
      expect(error.extensions.field).toBe('content');
    }
    expect(() => checkContent('\ud83d\ude00')).not.toThrow();
  });
});

describe('checkDocumentText', () => {
  it('refuses text that is empty once converted, naming the field', () => {
    const text = html('<script>alert(1)</script><style>p { color: red }</style><!-- nothing -->');
    expect(text).toBe('');
    expect(() => checkContent('<script>alert(1)</script>')).not.toThrow();
    expect(refusal(() => checkDocumentText(text)).extensions.field).toBe('content');
    expect(refusal(() => checkDocumentText(' \n ', 'input.content')).extensions.field).toBe('input.content');
    expect(() => checkDocumentText(html('<p>hello</p>'))).not.toThrow();
  });
});

describe('title, tags and source', () => {
  it('takes a title of 1 to 200 characters once trimmed, counted in code points', () => {
    expect(() => checkTitle('  A title  ')).not.toThrow();
    expect(() => checkTitle('t'.repeat(KNOWLEDGE_LIMITS.titleLength))).not.toThrow();
    expect(() => checkTitle('😀'.repeat(KNOWLEDGE_LIMITS.titleLength))).not.toThrow();
    expect(() => checkTitle(` ${'t'.repeat(200)} `)).not.toThrow();
    expect(refusal(() => checkTitle('t'.repeat(201))).extensions.field).toBe('title');
    expect(refusal(() => checkTitle('   ')).extensions.field).toBe('title');
    expect(refusal(() => checkTitle('', 'input.title')).extensions.field).toBe('input.title');
    expect(refusal(() => checkTitle('two\nlines')).extensions.field).toBe('title');
    expect(refusal(() => checkTitle('bad \ud800')).extensions.field).toBe('title');
  });

  it('takes at most 200 tags of 1 to 50 characters', () => {
    const tags = Array.from({ length: KNOWLEDGE_LIMITS.tags }, (_, index) => `tag-${index}`);
    expect(() => checkTags(tags)).not.toThrow();
    expect(() => checkTags([])).not.toThrow();
    expect(() => checkTags(['x'.repeat(KNOWLEDGE_LIMITS.tagLength)])).not.toThrow();
    expect(refusal(() => checkTags([...tags, 'one-more'])).extensions.field).toBe('tags');
    const long = refusal(() => checkTags(['ok', 'x'.repeat(51)]));
    expect(long.message).toBe('The tag 2 must have at most 50 characters.');
    expect(long.extensions.field).toBe('tags');
    expect(refusal(() => checkTags(['ok', ' '], 'input.tags')).extensions.field).toBe('input.tags');
    expect(refusal(() => checkTags(['a\tb'])).extensions.field).toBe('tags');
  });

  it('takes a source of at most 2000 characters', () => {
    expect(() => checkSource(`https://example.com/${'p'.repeat(1980)}`)).not.toThrow();
    expect(refusal(() => checkSource('s'.repeat(KNOWLEDGE_LIMITS.sourceLength + 1))).extensions.field).toBe('source');
    expect(refusal(() => checkSource('a\u0000b', 'input.source')).extensions.field).toBe('input.source');
  });
});

describe('toDocumentText: TEXT and MARKDOWN', () => {
  it.each([KnowledgeFormat.TEXT, KnowledgeFormat.MARKDOWN])('%s: LF line endings, no trailing whitespace', (format) => {
    const content = '\ufeff\r\n\n  # Title  \r\n\r\nline one\t \rline two   \n\n\n    indented code\n \t\n';
    expect(toDocumentText(content, format)).toBe('  # Title\n\nline one\nline two\n\n\n    indented code');
  });

  it('leaves text that is already clean as it is', () => {
    const content = '# Title\n\nA paragraph.\n\n- item\n- item';
    expect(toDocumentText(content, KnowledgeFormat.MARKDOWN)).toBe(content);
  });

  it('handles long runs of whitespace in linear time', () => {
    const content = `a${' '.repeat(200_000)}b${'\n'.repeat(200_000)}c${' \n'.repeat(100_000)}`;
    expect(toDocumentText(content, KnowledgeFormat.TEXT)).toBe(`a${' '.repeat(200_000)}b${'\n'.repeat(200_000)}c`);
  });
});

describe('toDocumentText: HTML structure', () => {
  it('writes headings as # lines and paragraphs a blank line apart', () => {
    const text = html(
      '<h1>Title</h1><p>First   para\n  graph.</p><h2>Sub <em>heading</em></h2><div>Div text</div><section><h6>Deep</h6></section>',
    );
    expect(text).toBe('# Title\n\nFirst para graph.\n\n## Sub heading\n\nDiv text\n\n###### Deep');
  });

  it('turns <br> into a line break and collapses whitespace inside paragraphs', () => {
    expect(html('<p>one<br>two<br/><br><br><br>three  \t four</p>')).toBe('one\ntwo\n\nthree four');
  });

  it('never leaves more than one blank line between blocks', () => {
    const text = html('<div><p>a</p>\n\n\n<p></p><div> </div><hr><p>b</p></div><p>\n</p><p>c</p>');
    expect(text).toBe('a\n\nb\n\nc');
  });

  it('writes list items as "- " and ordered ones numbered, nested lists indented', () => {
    const text = html(
      '<ul><li>one</li><li>two<ul><li>two.a</li><li>two.b</li></ul>and more</li></ul>' +
        '<ol><li>first</li><li><p>second</p><p>continued</p></li></ol><p>after</p>',
    );
    expect(text).toBe('- one\n- two\n  - two.a\n  - two.b\n  and more\n\n1. first\n2. second\n   continued\n\nafter');
  });

  it('keeps <pre> as written, fenced so its lines never read as headings; <code> as text', () => {
    const text = html('<p>Run <code>npm  test</code>:</p><pre>\n# comment\nif (a &lt; b) {\n    go();\n}\n</pre>');
    expect(text).toBe('Run npm test:\n\n```\n# comment\nif (a < b) {\n    go();\n}\n```');
    expect(html('<pre>a ``` b</pre>')).toBe('````\na ``` b\n````');
  });

  it('keeps a link’s text and drops its href', () => {
    expect(html('<p>See <a href="https://example.com/secret-path">the guide</a>.</p>')).toBe('See the guide.');
  });

  it('writes one line per table row, cells separated by " | "', () => {
    const text = html(
      '<table><caption>Fees</caption><thead><tr><th>Plan</th><th>Price</th></tr></thead>' +
        '<tbody><tr><td>Free</td><td>0 <b>€</b></td></tr><tr><td><p>Pro</p><p>yearly</p></td><td>10</td></tr>' +
        '<tr><td></td><td></td></tr></tbody></table><p>Below</p>',
    );
    expect(text).toBe('Fees\n\nPlan | Price\nFree | 0 €\nPro yearly | 10\n\nBelow');
  });

  it('decodes entities', () => {
    expect(html('<p>Fish &amp; chips &lt;3 &quot;q&quot; &#39;s&#x27; &euro;5 caf&eacute; a&nbsp;b</p>')).toBe(
      'Fish & chips <3 "q" \'s\' €5 café a b',
    );
  });

  it('drops control characters that arrive as character references', () => {
    expect(html('<p>a&#1;b &#27;[31m c&#0;d</p>')).toBe('ab [31m c\ufffdd');
  });

  it('reads a fragment, a whole document and text without any tag', () => {
    expect(html('just text')).toBe('just text');
    expect(html('<!DOCTYPE html><html><head><title>T</title></head><body><p>x</p></body></html>')).toBe('x');
  });

  it('reads markup nested as deep as the limit, lists included', () => {
    // The script is the deepest element.
    const depth = MAX_NESTING - 1;
    expect(html(`${'<div>'.repeat(depth)}deep<script>alert(1)</script>${'</div>'.repeat(depth)}`)).toBe('deep');
    const lists = html(`${'<ul><li>'.repeat(MAX_NESTING / 2)}item${'</li></ul>'.repeat(MAX_NESTING / 2)}`);
    expect(lists.trim().endsWith('item')).toBe(true);
  });

  it('refuses markup nested deeper than the limit, naming the field', () => {
    expect(refusal(() => html(`${'<div>'.repeat(MAX_NESTING + 1)}x`)).extensions.field).toBe('content');
    // A megabyte of unclosed tags is refused as soon as it is too deep, not parsed to the end.
    const unclosed = '<b>'.repeat(KNOWLEDGE_LIMITS.contentBytes / 3);
    const error = refusal(() => toDocumentText(unclosed, KnowledgeFormat.HTML, 'input.content'));
    expect(error.message).toMatch(/nested more than 1000 elements deep/);
    expect(error.extensions.field).toBe('input.content');
  });
});

describe('toDocumentText: HTML that tries to smuggle something through', () => {
  // Every payload hides PWNED where no reader would see it, and shows "visible".
  const payloads: [string, string][] = [
    ['script', '<script>PWNED()</script>visible'],
    ['upper-case script', '<SCRIPT type="text/javascript">PWNED</SCRIPT>visible'],
    ['script with odd spacing', '<script\n>PWNED</script >visible<script/src=x>PWNED</script>'],
    ['unclosed script', 'visible<script>PWNED'],
    ['script text that looks like markup', '<script>document.write("</p><p>PWNED")</script>visible'],
    [
      'script inside a heading, a cell and pre',
      '<h1>visible<script>PWNED</script></h1><table><tr><td><script>PWNED</script></td></tr></table><pre><script>PWNED</script></pre>',
    ],
    ['style', '<style>body { background: url("PWNED") }</style><p>visible</p>'],
    ['unclosed style', '<p>visible</p><style>PWNED'],
    ['style attribute', '<p style="background:url(PWNED)">visible</p>'],
    ['event handlers', '<div onclick="PWNED()" onmouseover=\'PWNED\' ONLOAD=PWNED>visible</div>'],
    ['image with onerror', '<img src=x onerror="PWNED()">visible<img src="x" alt="PWNED">'],
    ['javascript: link', '<a href="javascript:PWNED()">visible</a>'],
    ['mixed-case javascript: link', '<a href="JaVaScRiPt:PWNED" target="_blank">visible</a>'],
    [
      'javascript: in form actions',
      '<form action="javascript:PWNED"><button formaction="PWNED">visible</button></form>',
    ],
    ['comment', '<!-- PWNED -->visible'],
    ['script in a comment', '<!-- <script>PWNED</script> -->visible'],
    ['unclosed comment', 'visible<!-- PWNED'],
    ['conditional comment', '<!--[if IE]><script>PWNED</script><![endif]-->visible'],
    ['CDATA', '<![CDATA[PWNED]]>visible'],
    ['CDATA hiding a script', '<p><![CDATA[<script>PWNED</script>]]>visible</p>'],
    ['svg', '<svg onload="PWNED"><script>PWNED</script><text>PWNED</text></svg>visible'],
    ['namespaced script', '<svg:script>PWNED</svg:script>visible'],
    ['math with javascript: href', '<math><mi xlink:href="javascript:PWNED">visible</mi></math>'],
    ['iframe', '<iframe src="javascript:PWNED" srcdoc="<script>PWNED</script>">PWNED</iframe>visible'],
    ['object and embed', '<object data="PWNED"><embed src="PWNED">PWNED</object><embed src=PWNED>visible'],
    ['template', '<template><script>PWNED</script>PWNED</template>visible'],
    ['noscript', '<noscript><img src=x onerror=PWNED>PWNED</noscript>visible'],
    [
      'noscript breaking out through an attribute',
      '<noscript><p title="</noscript><img src=x onerror=PWNED>"></noscript>visible',
    ],
    [
      'head and meta refresh',
      '<head><title>PWNED</title><meta http-equiv="refresh" content="0;PWNED"></head><body>visible</body>',
    ],
    [
      'nested dropped elements',
      '<div><div><span><script><!--PWNED--></script><style>PWNED</style></span></div></div>visible',
    ],
    ['attribute hiding a tag end', '<div title="a>PWNED<script>">visible</div>'],
    ['unclosed tags', '<p><b><i>visible<script>PWNED'],
    ['stray closing tags', '</script></style></div>visible</p><style>PWNED</style>'],
    ['processing instruction and doctype', '<?xml version="1.0" PWNED?><!DOCTYPE PWNED>visible'],
    ['base, link and meta', '<base href="PWNED"><link rel=stylesheet href=PWNED><meta content=PWNED>visible'],
    ['framesets', '<frameset><frame src="PWNED"></frameset><noframes>PWNED</noframes>visible'],
  ];

  it.each(payloads)('%s', (_name, payload) => {
    const text = html(payload);
    expect(text).toContain('visible');
    expect(text).not.toContain('PWNED');
    expect(text).not.toMatch(/<\/?[a-z!?]/i);
    expect(text).not.toMatch(/javascript:|on(error|click|load|mouseover)|href|src=/i);
  });

  it('lets escaped markup through as the text it is, never as an element', () => {
    // &lt;script&gt; is what the author wrote for readers to see; it was never a script.
    expect(html('<p>Write &lt;script&gt;alert(1)&lt;/script&gt; to test.</p>')).toBe(
      'Write <script>alert(1)</script> to test.',
    );
    // A tag name the parser reads as "scr<script" is no script either: browsers show "ipt>…".
    expect(html('<scr<script>ipt>shown')).toBe('ipt>shown');
  });
});
