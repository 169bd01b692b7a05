/**
 * Paths and URIs in reports, computed from text alone (no working directory): POSIX and Windows paths alike.
 */
import { strict as assert } from 'node:assert';
import { describe, it } from 'node:test';
import { fileUri, relativePath, relativeUri } from '../../../../server/src/engine/report/reportPaths';

describe('relativePath', () => {
	const cases: [root: string, file: string, expected: string][] = [
		['/ws', '/ws/Cargo.toml', 'Cargo.toml'],
		['/ws/', '/ws/crates/a/Cargo.toml', 'crates/a/Cargo.toml'],
		['/ws', '/ws', ''],
		['/ws/app', '/ws/shared/Cargo.toml', '../shared/Cargo.toml'],
		['/ws', '/wsx/Cargo.toml', '../wsx/Cargo.toml'],
		['/ws/./a/../b', '/ws/b/c/Cargo.toml', 'c/Cargo.toml'],
		['C:\\ws', 'C:\\ws\\my crate\\Cargo.toml', 'my crate/Cargo.toml'],
		['/ws', '/ws/a\\b/Cargo.toml', 'a/b/Cargo.toml'],
	];
	for (const [root, file, expected] of cases) it(`${file} from ${root}`, () => assert.equal(relativePath(root, file), expected));
});

describe('fileUri', () => {
	const cases: [path: string, directory: boolean, expected: string][] = [
		['/ws', true, 'file:///ws/'],
		['/ws/', true, 'file:///ws/'],
		['/', true, 'file:///'],
		['/ws/Cargo.toml', false, 'file:///ws/Cargo.toml'],
		['/home/me/my project#1/100%', true, 'file:///home/me/my%20project%231/100%25/'],
		['/srv/ünïcode?', true, 'file:///srv/%C3%BCn%C3%AFcode%3F/'],
		['C:\\Users\\me\\ws', true, 'file:///C:/Users/me/ws/'],
	];
	for (const [path, directory, expected] of cases) it(`${path}${directory ? ' (directory)' : ''}`, () => assert.equal(fileUri(path, directory), expected));

	it('is what URL parsing reads back as the same path', () => {
		assert.equal(decodeURIComponent(new URL(fileUri('/home/me/my project#1/100%', true)).pathname), '/home/me/my project#1/100%/');
	});
});

describe('relativeUri', () => {
	const cases: [path: string, expected: string][] = [
		['Cargo.toml', 'Cargo.toml'],
		['my crate/Cargo.toml', 'my%20crate/Cargo.toml'],
		['crates/#1/Cargo.lock', 'crates/%231/Cargo.lock'],
		['../shared/Cargo.toml', '../shared/Cargo.toml'],
	];
	for (const [path, expected] of cases) it(path, () => assert.equal(relativeUri(path), expected));
});
