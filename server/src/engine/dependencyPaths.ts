/**
 * How each package is reached from each direct dependency, computed on demand. Storing every (direct, package)
 * path up front is quadratic (3,000 packages and 300 direct dependencies kept 345k paths, 5,000 and 1,000 ran out of
 * memory), while hover, findings and reports need a handful: so only a breadth-first parent map per direct
 * dependency is kept, built the first time that direct dependency is asked about, and a path is walked from it.
 */

/** A path through the lockfile from a direct dependency to a package, as package indexes: `direct` first, the package last. */
export interface TransitivePath {
	direct: number;
	path: number[];
}

const UNSEEN = -2;
const ROOT = -1;

export class DependencyPaths {
	/** By direct package: its breadth-first parent map (`UNSEEN`, `ROOT` or the parent's index). At most one Int32 per package per direct asked about. */
	private readonly parents = new Map<number, Int32Array>();
	private readonly isDirect: Uint8Array;
	private reverse: number[][] | undefined;

	/**
	 * @param directs the non-member direct packages, ascending (the order `reachedFrom` lists them in)
	 * @param isMember members are never entered: a member's dependencies show on its own manifest
	 */
	constructor(
		readonly directs: readonly number[],
		private readonly isMember: readonly boolean[],
		private readonly lockDependencies: readonly number[][],
	) {
		this.isDirect = new Uint8Array(lockDependencies.length);
		for (const direct of directs) this.isDirect[direct] = 1;
	}

	/** Whether `pkg` is reachable from `direct` without passing through a member. */
	reaches(direct: number, pkg: number): boolean {
		return this.isDirect[direct] === 1 && this.parentsOf(direct)[pkg] !== UNSEEN;
	}

	/** The shortest path from `direct` to `pkg` (the first breadth-first finds), or undefined when it does not reach it. */
	path(direct: number, pkg: number): number[] | undefined {
		if (!this.reaches(direct, pkg)) return undefined;
		const parent = this.parentsOf(direct);
		const path: number[] = [];
		for (let index = pkg; index !== ROOT; index = parent[index]!) path.push(index);
		return path.reverse();
	}

	/** Every package `direct` reaches, itself included, ascending; empty when it is not a direct package. */
	reachableFrom(direct: number): number[] {
		if (this.isDirect[direct] !== 1) return [];
		const parent = this.parentsOf(direct);
		const reached: number[] = [];
		for (let index = 0; index < parent.length; index++) if (parent[index] !== UNSEEN) reached.push(index);
		return reached;
	}

	/** The direct packages `pkg` is reachable from (itself, when it is one), ascending. A backward search: no parent map is built. */
	directsReaching(pkg: number): number[] {
		if (pkg < 0 || pkg >= this.lockDependencies.length || this.isMember[pkg]) return [];
		const reverse = this.reverseEdges();
		const seen = new Uint8Array(this.lockDependencies.length);
		const queue = [pkg];
		seen[pkg] = 1;
		const found: number[] = [];
		for (let head = 0; head < queue.length; head++) {
			const current = queue[head]!;
			if (this.isDirect[current] === 1) found.push(current);
			for (const previous of reverse[current]!) {
				if (seen[previous] === 1 || this.isMember[previous]) continue;
				seen[previous] = 1;
				queue.push(previous);
			}
		}
		return found.sort((a, b) => a - b);
	}

	/** Every direct package `pkg` is reached from, with the shortest path from each: materialised, for reports and tests. */
	reachedFrom(pkg: number): TransitivePath[] {
		return this.directsReaching(pkg).map((direct) => ({ direct, path: this.path(direct, pkg)! }));
	}

	/** Breadth-first from `direct`, never entering members, in dependency order: the first parent found is kept. */
	private parentsOf(direct: number): Int32Array {
		let parent = this.parents.get(direct);
		if (parent) return parent;
		const count = this.lockDependencies.length;
		parent = new Int32Array(count).fill(UNSEEN);
		const queue = new Int32Array(count);
		parent[direct] = ROOT;
		let tail = 0;
		queue[tail++] = direct;
		for (let head = 0; head < tail; head++) {
			const current = queue[head]!;
			for (const next of this.lockDependencies[current]!) {
				if (parent[next] !== UNSEEN || this.isMember[next]) continue;
				parent[next] = current;
				queue[tail++] = next;
			}
		}
		this.parents.set(direct, parent);
		return parent;
	}

	private reverseEdges(): number[][] {
		if (!this.reverse) {
			const reverse: number[][] = this.lockDependencies.map(() => []);
			this.lockDependencies.forEach((targets, from) => {
				for (const to of targets) reverse[to]!.push(from);
			});
			this.reverse = reverse;
		}
		return this.reverse;
	}
}
