/// A set of prefixes of both families, kept merged: sorted, no prefix inside another, no two siblings that
/// together make their parent.
public struct PrefixSet: Hashable, Sendable {
    /// The merged prefixes, IPv4 first, in address order.
    public private(set) var prefixes: [IPPrefix]

    /// Merges `prefixes`: duplicates and contained prefixes go, adjacent siblings join.
    public init<S: Sequence>(_ prefixes: S) where S.Element == IPPrefix {
        self.prefixes = Self.merged(Array(prefixes))
    }

    public static let empty = PrefixSet([])

    public var isEmpty: Bool { prefixes.isEmpty }

    /// The prefixes of one family.
    public func prefixes(of family: AddressFamily) -> ArraySlice<IPPrefix> {
        let split = prefixes.firstIndex { $0.family == .ipv6 } ?? prefixes.endIndex
        return family == .ipv4 ? prefixes[..<split] : prefixes[split...]
    }

    /// The addresses of this set that are not in `other`, merged.
    public func subtracting(_ other: PrefixSet) -> PrefixSet {
        guard !other.isEmpty else { return self }
        var result: [IPPrefix] = []
        for prefix in prefixes {
            var pieces = [prefix]
            for excluded in other.prefixes where excluded.family == prefix.family {
                pieces = pieces.flatMap { Self.remove(excluded, from: $0) }
                if pieces.isEmpty { break }
            }
            result += pieces
        }
        return PrefixSet(result)
    }

    public func union(_ other: PrefixSet) -> PrefixSet { PrefixSet(prefixes + other.prefixes) }

    /// True when `prefix` lies wholly inside the set.
    public func covers(_ prefix: IPPrefix) -> Bool { prefixes.contains { $0.contains(prefix) } }

    /// `piece` minus `hole`: `piece` itself when they do not overlap, nothing when `hole` covers it, else the
    /// siblings along the path from `piece` down to `hole`.
    static func remove(_ hole: IPPrefix, from piece: IPPrefix) -> [IPPrefix] {
        if hole.contains(piece) { return [] }
        guard piece.contains(hole) else { return [piece] }
        var rest: [IPPrefix] = []
        var current = hole
        while current.length > piece.length, let sibling = current.sibling, let parent = current.parent {
            rest.append(sibling)
            current = parent
        }
        return rest.sorted()
    }

    static func merged(_ input: [IPPrefix]) -> [IPPrefix] {
        // Sorted by address then length, a prefix is followed by everything it contains.
        var stack: [IPPrefix] = []
        stack.reserveCapacity(input.count)
        for prefix in input.sorted() {
            if let last = stack.last, last.contains(prefix) { continue }
            var current = prefix
            // Join with the previous prefix while the two are siblings.
            while let last = stack.last, last.length == current.length, last.sibling == current, let parent = last.parent {
                stack.removeLast()
                current = parent
                if let before = stack.last, before.contains(current) {
                    current = before
                    stack.removeLast()
                }
            }
            stack.append(current)
        }
        return stack
    }
}
