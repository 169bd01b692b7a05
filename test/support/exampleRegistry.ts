/**
 * A test registry holding every crates.io package of the example workspace's Cargo.lock, with .crate bytes whose
 * sha256 equals the lockfile's checksum, and a workspace copy whose .cargo/config.toml points crates.io at it by
 * cargo's source replacement.
 */
import { mkdirSync, readFileSync, writeFileSync } from 'node:fs';
import { join } from 'node:path';
import { RegistryServer, type FakeCrate, type FakeVersion } from './registryServer';
import { repoRoot } from './paths';
import { copyWorkspace, type TempWorkspace } from './tempWorkspace';

/** The example lockfile's checksums are sha256 of `name-version`, so these bytes are its "published" crates. */
export function exampleCrateBytes(name: string, version: string): Uint8Array {
	return Buffer.from(`${name}-${version}`);
}

export function examplePackages(): { name: string; version: string }[] {
	const lock = readFileSync(join(repoRoot, 'examples', 'basic', 'Cargo.lock'), 'utf8');
	return [...lock.matchAll(/name = "([^"]+)"\nversion = "([^"]+)"\nsource = "registry\+/g)].map((m) => ({ name: m[1]!, version: m[2]! }));
}

/** Every example package, published long ago by `maintainer`, plus whatever `overrides` says per crate. */
export function exampleCrates(overrides: Record<string, Partial<FakeVersion> & { extraVersions?: FakeVersion[] }> = {}): FakeCrate[] {
	return examplePackages().map(({ name, version }) => {
		const { extraVersions = [], ...override } = overrides[name] ?? {};
		const locked: FakeVersion = { vers: version, pubtime: '2024-03-01T10:00:00Z', publishedBy: 'maintainer', crate: exampleCrateBytes(name, version), ...override };
		return { name, versions: [...extraVersions, locked] };
	});
}

export async function exampleWithRegistry(crates: FakeCrate[], extraConfig = ''): Promise<{ ws: TempWorkspace; registry: RegistryServer }> {
	const registry = await RegistryServer.start({ crates });
	const ws = copyWorkspace(join(repoRoot, 'examples', 'basic'));
	mkdirSync(join(ws.dir, '.cargo'));
	writeFileSync(join(ws.dir, '.cargo', 'config.toml'), `[source.crates-io]\nreplace-with = "test-registry"\n\n[source.test-registry]\nregistry = "sparse+${registry.indexUrl}"\n${extraConfig}`);
	return { ws, registry };
}
