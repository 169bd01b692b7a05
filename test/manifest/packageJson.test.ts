/**
 * package.json ↔ the server's settings schema and command ids: they must agree exactly (bash-language-server's parity test).
 */
import { strict as assert } from 'node:assert';
import { readFileSync } from 'node:fs';
import { join } from 'node:path';
import { describe, it } from 'node:test';
import { ClientCommands, defaultSettings, settingsSchema } from '../../server/src/protocol';
import { toolVersion } from '../../server/src/version';
import { repoRoot } from '../support/paths';

interface Contributed {
	type: string;
	default: unknown;
	scope: string;
	markdownDescription?: string;
	description?: string;
	enum?: string[];
	items?: { type: string; enum?: string[] };
	minimum?: number;
}

const manifest = JSON.parse(readFileSync(join(repoRoot, 'package.json'), 'utf8')) as {
	version: string;
	contributes: { configuration: { properties: Record<string, Contributed> }; commands: { command: string; title: string }[] };
	capabilities: { untrustedWorkspaces: { restrictedConfigurations: string[] } };
	activationEvents: string[];
	main: string;
	extensionKind: string[];
};

void describe('package.json parity', () => {
	void it('contributes exactly the settings of the schema, with the same defaults, types and descriptions', () => {
		const contributed = manifest.contributes.configuration.properties;
		assert.deepEqual(Object.keys(contributed).sort(), Object.keys(settingsSchema).sort());
		for (const [key, descriptor] of Object.entries(settingsSchema)) {
			const entry = contributed[key]!;
			assert.ok(key.startsWith('cargoTrust.'), key);
			assert.equal(entry.type, descriptor.type, key);
			assert.deepEqual(entry.default, descriptor.default, key);
			assert.equal(entry.scope, descriptor.scope, key);
			assert.equal(entry.markdownDescription ?? entry.description, descriptor.description, key);
			assert.deepEqual(entry.enum, descriptor.enum, key);
			assert.deepEqual(entry.items?.enum, descriptor.itemEnum, key);
			assert.equal(entry.minimum, descriptor.minimum, key);
		}
	});

	void it('keeps the typed defaults equal to the schema defaults', () => {
		for (const [key, descriptor] of Object.entries(settingsSchema)) {
			const value = key.split('.').slice(1).reduce<unknown>((node, part) => (node as Record<string, unknown>)[part], defaultSettings);
			assert.deepEqual(value, descriptor.default, key);
		}
	});

	void it('restricts in untrusted workspaces exactly the settings marked restricted', () => {
		const restricted = Object.entries(settingsSchema).filter(([, d]) => d.restricted).map(([key]) => key).sort();
		assert.deepEqual([...manifest.capabilities.untrustedWorkspaces.restrictedConfigurations].sort(), restricted);
	});

	void it('contributes exactly the client commands, each with a title', () => {
		assert.deepEqual(manifest.contributes.commands.map((c) => c.command).sort(), Object.values(ClientCommands).sort());
		for (const command of manifest.contributes.commands) assert.ok(command.title.length > 0);
	});

	void it('declares the version the tool reports, a workspace extension kind and Cargo activation', () => {
		assert.equal(manifest.version, toolVersion);
		assert.deepEqual(manifest.extensionKind, ['workspace']);
		assert.equal(manifest.main, './dist/client.js');
		assert.ok(manifest.activationEvents.includes('workspaceContains:Cargo.toml'));
	});
});
