/**
 * `publisher-changed`: the locked version was published by another account, or another trusted-publishing
 * repository, than the version before it. Not wrong in itself, but it is how hijacked crates look.
 */
import type { Fact } from '../facts';
import type { PackageIssue } from '../findings';
import type { LockedPackage } from '../lockfile/types';
import type { Publisher, ReleaseFacts } from '../release/types';

export function describePublisher(publisher: Publisher): string {
	return publisher.kind === 'user'
		? `${publisher.login}${publisher.name ? ` (${publisher.name})` : ''}`
		: `${publisher.provider} trusted publishing from ${publisher.repository}${publisher.sha ? ` at ${publisher.sha.slice(0, 10)}` : ''}`;
}

function identity(publisher: Publisher): string {
	return publisher.kind === 'user' ? `user:${publisher.login}` : `trusted:${publisher.provider}:${publisher.repository}`;
}

export function assessPublisher(pkg: LockedPackage, release: Fact<ReleaseFacts> | undefined): PackageIssue[] {
	if (release?.status !== 'known') return [];
	const { publisher, previous } = release.value;
	if (publisher?.status !== 'known' || previous?.publisher.status !== 'known') return [];
	if (identity(publisher.value) === identity(previous.publisher.value)) return [];
	return [
		{
			code: 'publisher-changed',
			severity: 'information',
			message: `${pkg.name} ${pkg.version} was published by ${describePublisher(publisher.value)}; ${previous.version} was published by ${describePublisher(previous.publisher.value)}`,
			data: { signal: 'publisher-changed', publisher: publisher.value, previous: { version: previous.version, publisher: previous.publisher.value } },
		},
	];
}
