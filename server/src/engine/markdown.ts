/**
 * The one way to put external text (crate names, versions, registry answers, advisory fields, file names from an
 * archive, configuration origins) into Markdown. Whatever a crate, registry or database says must render as
 * literal text: never a link, an image, HTML, emphasis or a new block.
 */

/** Line breaks and other control characters would start new blocks (a blank line ends a code span): one space each. */
function oneLine(text: string): string {
	// eslint-disable-next-line no-control-regex
	return text.replace(/[\u0000-\u001f\u007f\u2028\u2029]+/g, ' ');
}

/**
 * Text rendered literally. Backslash-escaped (CommonMark renders `\x` as `x`): the characters that make emphasis,
 * code, links, images, HTML, entities, tables and strikethrough; `@`, `://` and `www.`, which GitHub-style
 * renderers turn into links by themselves; and a leading list, quote or heading marker.
 */
export function mdText(text: string): string {
	return oneLine(text)
		.replace(/[\\`*_[\]()<>#!|&~@]/g, (c) => `\\${c}`)
		.replace(/:(?=\/\/)/g, '\\:')
		.replace(/\b(www)\./gi, '$1\\.')
		.replace(/^([-+=])(?=\s|$)/, '\\$1')
		.replace(/^(\d{1,9})(?=[.)](\s|$))/, '$1\\');
}

/**
 * A code span holding the text exactly: the fence is one backtick longer than the longest backtick run inside,
 * and a space pads each side when the text starts or ends with a backtick or a space (CommonMark strips one each).
 */
export function mdCode(text: string): string {
	const content = oneLine(text);
	if (content.trim() === '') return '`(empty)`';
	const longestRun = Math.max(0, ...(content.match(/`+/g) ?? []).map((run) => run.length));
	const fence = '`'.repeat(longestRun + 1);
	const pad = /^[` ]|[` ]$/.test(content) ? ' ' : '';
	return `${fence}${pad}${content}${pad}${fence}`;
}
