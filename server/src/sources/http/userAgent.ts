/**
 * The User-Agent every request carries. crates.io rejects requests without one and asks that it name the
 * application and a way to contact its authors. The version is the caller's to give: no file is read here.
 */

export function formatUserAgent(version: string, repositoryUrl: string): string {
	return `cargo-trust/${version} (${repositoryUrl})`;
}
