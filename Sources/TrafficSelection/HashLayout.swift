/// How one family's selected prefixes are laid out in u32 hash tables, so that the work per packet stays
/// bounded however many prefixes there are.
///
/// A packet first meets the ``entry`` bucket. A bucket holds leaves (each one u32 node that matches a whole
/// prefix) and may link to a child table that hashes one byte of the remote address into 256 buckets of its
/// own. A prefix that fixes the hashed byte goes into one bucket; one that fixes only part of it goes into
/// each bucket it covers (at most ``maximumCopies``); one shorter still stays a leaf of the bucket above, so
/// nothing is copied across hundreds of buckets. u32 tries a bucket's leaves, then follows its link, and comes
/// back if nothing below matched, so a packet is compared with a bounded number of nodes on one path.
/// The selection is merged with exclusions already subtracted: the prefixes are disjoint, a packet matches
/// at most one leaf, and the order of leaves never matters.
public struct HashLayout: Hashable, Sendable {
    /// One hash table: the address byte it hashes on and its non-empty buckets.
    public struct Table: Hashable, Sendable {
        /// Which byte of the address (0 = the most significant) picks the bucket.
        public let byteIndex: Int
        /// Bucket number → what is in it; buckets not listed are empty.
        public let buckets: [UInt8: Bucket]
    }

    /// Leaves, and possibly a child table to try after them.
    public struct Bucket: Hashable, Sendable {
        public let leaves: [IPPrefix]
        public let child: Table?
    }

    /// Leaves per bucket before the rest is moved into a child table.
    public static let maximumLeaves = 16
    /// The most buckets one prefix is copied into; a shorter prefix stays a leaf of the bucket above.
    public static let maximumCopies = 16
    /// Tables nest at most this deep (a packet follows one link per level).
    public static let maximumDepth = 4

    public let family: AddressFamily
    /// Where every packet of the family starts; `nil` when the family has nothing selected.
    public let entry: Bucket?
    /// True when the whole family is selected (a /0): no address match at all.
    public let selectsEverything: Bool

    /// Lays out `prefixes` (one family, merged, disjoint).
    public init<C: Collection>(family: AddressFamily, prefixes: C) where C.Element == IPPrefix {
        self.family = family
        selectsEverything = prefixes.contains { $0.length == 0 }
        entry = prefixes.isEmpty || selectsEverything ? nil
            : Self.bucket(for: Array(prefixes), nextByte: 0, family: family, depth: 0)
    }

    // MARK: - Figures

    /// Every table, depth first.
    public var tables: [Table] {
        var result: [Table] = []
        func walk(_ bucket: Bucket) {
            guard let child = bucket.child else { return }
            result.append(child)
            for key in child.buckets.keys.sorted() { walk(child.buckets[key]!) }
        }
        entry.map(walk)
        return result
    }

    private var buckets: [Bucket] { (entry.map { [$0] } ?? []) + tables.flatMap { $0.buckets.values } }

    /// Leaf nodes in all buckets (a prefix copied into several buckets counts once per bucket).
    public var leafCount: Int { buckets.reduce(0) { $0 + $1.leaves.count } }

    /// The most leaves one bucket holds.
    public var largestBucket: Int { buckets.map(\.leaves.count).max() ?? 0 }

    /// The most nodes a packet can be compared with: the leaves and the link of each bucket on its path.
    public var worstPath: Int {
        func cost(_ bucket: Bucket) -> Int {
            bucket.leaves.count + (bucket.child.map { 1 + ($0.buckets.values.map(cost).max() ?? 0) } ?? 0)
        }
        return entry.map(cost) ?? 0
    }

    /// How deep tables nest.
    public var depth: Int {
        func depth(_ bucket: Bucket) -> Int {
            bucket.child.map { 1 + ($0.buckets.values.map(depth).max() ?? 0) } ?? 0
        }
        return entry.map(depth) ?? 0
    }

    // MARK: - Building

    static func bucket(for prefixes: [IPPrefix], nextByte: Int, family: AddressFamily, depth: Int) -> Bucket {
        let byteCount = family.bitWidth / 8
        guard prefixes.count > maximumLeaves, depth < maximumDepth, nextByte < byteCount else {
            return Bucket(leaves: prefixes, child: nil)
        }
        // Try the next few bytes that tell the prefixes apart; keep the one with the shortest worst path,
        // counting copies a little. A byte every prefix has the same value in (the 2001:0db8 of prefixes under
        // one /32) would only make a table of one bucket: it is skipped, not tried, and costs no depth.
        var best: (byte: Int, kept: [IPPrefix], buckets: [UInt8: [IPPrefix]], cost: Int)?
        var tried = 0
        var byte = nextByte
        while byte < byteCount && tried < 4 {
            defer { byte += 1 }
            let (kept, buckets) = split(prefixes, on: byte)
            if kept.isEmpty && buckets.count == 1 { continue }
            tried += 1
            guard kept.count < prefixes.count else { continue }
            let copies = buckets.values.reduce(0) { $0 + $1.count } - (prefixes.count - kept.count)
            let cost = kept.count + (buckets.values.map(\.count).max() ?? 0) + copies / 64
            if best == nil || cost < best!.cost { best = (byte, kept, buckets, cost) }
        }
        // A table that shortens no path is not worth its link.
        guard let chosen = best, chosen.cost < prefixes.count else { return Bucket(leaves: prefixes, child: nil) }
        var buckets: [UInt8: Bucket] = [:]
        for (key, list) in chosen.buckets {
            buckets[key] = bucket(for: list, nextByte: chosen.byte + 1, family: family, depth: depth + 1)
        }
        return Bucket(leaves: chosen.kept, child: Table(byteIndex: chosen.byte, buckets: buckets))
    }

    /// The prefixes too short to hash on byte `byte` (they would be copied into more than ``maximumCopies``
    /// buckets), and the rest, each in the bucket(s) its value of that byte falls in.
    static func split(_ prefixes: [IPPrefix], on byte: Int) -> (kept: [IPPrefix], buckets: [UInt8: [IPPrefix]]) {
        var kept: [IPPrefix] = []
        var buckets: [UInt8: [IPPrefix]] = [:]
        for prefix in prefixes {
            let fixedBits = min(8, max(0, prefix.length - 8 * byte))
            let span = 1 << (8 - fixedBits)
            guard span <= maximumCopies else {
                kept.append(prefix)
                continue
            }
            let first = Int(prefix.address.byte(byte)) & ~(span - 1) & 0xFF
            for bucket in first..<first + span {
                buckets[UInt8(bucket), default: []].append(prefix)
            }
        }
        return (kept, buckets)
    }

    /// Whether a packet with remote `address` is selected, walking the layout as u32 does (a test oracle).
    public func matches(_ address: AddressBits) -> Bool {
        if selectsEverything { return true }
        func search(_ bucket: Bucket) -> Bool {
            if bucket.leaves.contains(where: { IPPrefix(family: family, address: address, length: $0.length) == $0 }) {
                return true
            }
            guard let child = bucket.child, let next = child.buckets[address.byte(child.byteIndex)] else { return false }
            return search(next)
        }
        return entry.map(search) ?? false
    }
}
