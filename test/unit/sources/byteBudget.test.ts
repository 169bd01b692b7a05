/**
 * The memory budget shared by every package being read: reservations are whole, first come first served, never
 * above the cap together; a cancelled wait gives nothing and blocks no one; shrinking and releasing wake waiters.
 * Then the whole pipeline (UnsafeFactsSource, four workers) under a small budget that records what it granted.
 */
import assert from 'node:assert/strict';
import { after, describe, test } from 'node:test';
import { ByteBudget } from '../../../server/src/sources/crateSource/byteBudget';
import { silentLogger } from '../../../server/src/sources/log';
import { UnsafeFactsSource } from '../../../server/src/sources/unsafeScan/unsafeFactsSource';
import { cleanUpSandboxes, CRATES_IO, extractedPackage, lockedPackage, sandbox, sha256 } from './crateSourceFixtures';

/** A budget that remembers the most it ever had reserved at once. */
class RecordingBudget extends ByteBudget {
	peak = 0;

	override take(bytes: number, signal: AbortSignal | undefined): Promise<boolean> {
		return super.take(bytes, signal).then((granted) => {
			this.peak = Math.max(this.peak, this.inUse);
			return granted;
		});
	}
}

/** Lets every settled promise's callbacks run. */
const settle = (): Promise<void> => new Promise((resolve) => setImmediate(resolve));

after(cleanUpSandboxes);

describe('ByteBudget', () => {
	test('grants whole reservations up to the cap, first come first served', async () => {
		const budget = new ByteBudget(100);
		const order: string[] = [];
		const a = budget.lease();
		const b = budget.lease();
		const c = budget.lease();
		await a.reserve(60);
		const bDone = b.reserve(60).then(() => order.push('b'));
		// Small enough to fit now, but it came after b, which it must not overtake.
		const cDone = c.reserve(30).then(() => order.push('c'));
		await settle();
		assert.deepEqual(order, []);
		assert.equal(budget.inUse, 60);
		a.release();
		await bDone;
		await cDone;
		assert.deepEqual(order, ['b', 'c']);
		assert.equal(budget.inUse, 90);
		b.release();
		c.release();
		assert.equal(budget.inUse, 0);
	});

	test('a request above the cap is granted the cap, and the lease says so', async () => {
		const budget = new ByteBudget(100);
		const lease = budget.lease();
		assert.equal(await lease.reserve(1000), 100);
		assert.equal(budget.inUse, 100);
		lease.release();
	});

	test('shrinking gives back the unused part at once; releasing twice gives back nothing more', async () => {
		const budget = new ByteBudget(100);
		const a = budget.lease();
		const b = budget.lease();
		await a.reserve(100);
		const waiting = b.reserve(70);
		a.shrinkTo(30);
		assert.equal(await waiting, 70);
		assert.equal(budget.inUse, 100);
		a.release();
		a.release();
		assert.equal(budget.inUse, 70);
		b.release();
		assert.equal(budget.inUse, 0);
	});

	test('a cancelled wait gets nothing and no longer blocks those behind it', async () => {
		const budget = new ByteBudget(100);
		const holder = budget.lease();
		await holder.reserve(50);
		const controller = new AbortController();
		const big = budget.lease().reserve(80, controller.signal);
		const small = budget.lease().reserve(40);
		controller.abort();
		assert.equal(await big, undefined);
		assert.equal(await small, 40);
		assert.equal(budget.inUse, 90);
	});

	test('never more than the cap reserved, with many leases coming and going', async () => {
		const budget = new RecordingBudget(1000);
		await Promise.all(
			Array.from({ length: 50 }, async (_, i) => {
				const lease = budget.lease();
				await lease.reserve(((i * 379) % 900) + 50);
				await settle();
				lease.shrinkTo(i);
				await settle();
				lease.release();
			}),
		);
		assert.ok(budget.peak <= 1000, `peak ${budget.peak}`);
		assert.ok(budget.peak > 500, `peak ${budget.peak}: the test should have filled the budget`);
		assert.equal(budget.inUse, 0);
	});
});

describe('UnsafeFactsSource under a budget', () => {
	test('four workers never hold more than the cap together, every package is counted, and all is given back', async () => {
		const sb = sandbox('', { offline: true });
		const lib = `pub fn f() { unsafe {} }\n${'// padding\n'.repeat(300)}`;
		const pkgs = Array.from({ length: 8 }, (_, i) => {
			const name = `budgeted${i}`;
			extractedPackage(sb.cargoHome, `${name}-1.0.0`, { 'Cargo.toml': `[package]\nname = "${name}"\nversion = "1.0.0"\n`, 'src/lib.rs': lib }, name);
			return lockedPackage(name, '1.0.0', CRATES_IO, sha256(name));
		});
		// Room for about two packages at once: the others must wait their turn, not fail.
		const budget = new RecordingBudget(2 * (lib.length + 100));
		const facts = new UnsafeFactsSource({ cargoHome: sb.cargoHome, cacheDir: sb.cacheDir, registries: sb.registries, http: sb.http, now: () => new Date(0), log: silentLogger, budget, concurrency: 4 });
		await facts.fetch(pkgs, () => undefined, new AbortController().signal);
		for (const pkg of pkgs) assert.equal(facts.peek(pkg)?.status, 'known', JSON.stringify(facts.peek(pkg)));
		assert.ok(budget.peak <= budget.cap, `peak ${budget.peak} over the cap ${budget.cap}`);
		assert.ok(budget.peak > lib.length, 'the packages were not held against the budget');
		assert.equal(budget.inUse, 0);
	});
});
