/**
 * cargo-vet's registry of well-known audit sources (`registry.toml` in mozilla/cargo-vet, formats.md §4.3), as the
 * "Add Audit Sources" command offers them, and the name an audit from one of these URLs is shown under.
 */
export interface KnownAuditSource {
	name: string;
	url: string;
}

export const KNOWN_AUDIT_SOURCES: readonly KnownAuditSource[] = [
	{ name: 'actix', url: 'https://raw.githubusercontent.com/actix/supply-chain/main/audits.toml' },
	{ name: 'ariel-os', url: 'https://raw.githubusercontent.com/ariel-os/ariel-os/main/supply-chain/audits.toml' },
	{ name: 'bytecode-alliance', url: 'https://raw.githubusercontent.com/bytecodealliance/wasmtime/main/supply-chain/audits.toml' },
	{ name: 'embark-studios', url: 'https://raw.githubusercontent.com/EmbarkStudios/rust-ecosystem/main/audits.toml' },
	{ name: 'fermyon', url: 'https://raw.githubusercontent.com/fermyon/spin/main/supply-chain/audits.toml' },
	{ name: 'google', url: 'https://raw.githubusercontent.com/google/supply-chain/main/audits.toml' },
	{ name: 'isrg', url: 'https://raw.githubusercontent.com/divviup/libprio-rs/main/supply-chain/audits.toml' },
	{ name: 'mozilla', url: 'https://raw.githubusercontent.com/mozilla/supply-chain/main/audits.toml' },
	{ name: 'zcash', url: 'https://raw.githubusercontent.com/zcash/rust-ecosystem/main/supply-chain/audits.toml' },
];

/** The registry's name for a URL, when it is one of the well-known sources. */
export function knownSourceName(url: string): string | undefined {
	return KNOWN_AUDIT_SOURCES.find((source) => source.url === url)?.name;
}
