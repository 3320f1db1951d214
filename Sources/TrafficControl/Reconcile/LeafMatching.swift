/// Pairs the leaves a bucket should hold with the nodes it holds, by content.
///
/// Each wanted leaf, in order, claims the last unclaimed observed node equal to it (a node kept keeps its
/// id); what nobody claims is deleted. A bucket holds a handful of nodes (``HashLayout/maximumLeaves``), so
/// the pairs are found by comparing, without hashing; a large bucket (a layout of another version, or
/// someone else's nodes) goes through a dictionary instead, with the same result.
enum LeafMatching {
    /// Buckets with more wanted × observed pairs than this are matched through a dictionary.
    static let comparisonLimit = 512

    /// - Returns: per wanted leaf, the position in `observed` it keeps (`nil`: it must be added); and the
    ///   positions nobody claimed, ascending.
    static func match<Content: Hashable>(_ wanted: [Content], _ observed: [Content?],
                                         comparisonLimit: Int = comparisonLimit) -> (kept: [Int?], unclaimed: [Int]) {
        var claimed = [Bool](repeating: false, count: observed.count)
        var kept: [Int?] = []
        kept.reserveCapacity(wanted.count)
        if wanted.count * observed.count <= comparisonLimit {
            for leaf in wanted {
                var found: Int?
                var position = observed.count
                while position > 0 {
                    position -= 1
                    if !claimed[position], observed[position] == leaf {
                        found = position
                        break
                    }
                }
                if let found { claimed[found] = true }
                kept.append(found)
            }
        } else {
            var pool: [Content: [Int]] = [:]
            for (position, content) in observed.enumerated() {
                if let content { pool[content, default: []].append(position) }
            }
            for leaf in wanted {
                let found = pool[leaf]?.popLast()
                if let found { claimed[found] = true }
                kept.append(found)
            }
        }
        return (kept, claimed.indices.filter { !claimed[$0] })
    }
}
