import Testing
@testable import TrafficControl

/// A bucket's wanted leaves claim observed nodes of equal content as a pool of nodes per content would give
/// them out: the last unclaimed one first; the comparing path and the dictionary path agree.
struct LeafMatchingTests {
    /// The rule as the reconciler first wrote it: nodes pooled by content, each wanted leaf taking the last.
    static func pooled(_ wanted: [Int], _ observed: [Int?]) -> (kept: [Int?], unclaimed: [Int]) {
        var pool: [Int: [Int]] = [:]
        for (position, content) in observed.enumerated() {
            if let content { pool[content, default: []].append(position) }
        }
        let kept = wanted.map { pool[$0]?.popLast() }
        let claimed = Set(kept.compactMap { $0 })
        return (kept, observed.indices.filter { !claimed.contains($0) })
    }

    @Test func eachLeafKeepsTheLastEqualNodeAndTheRestGo() {
        let result = LeafMatching.match([7, 5, 7, 9], [7, 5, 7, 7, nil, 3])
        #expect(result.kept == [3, 1, 2, nil])
        #expect(result.unclaimed == [0, 4, 5])
    }

    @Test func nothingObservedMeansEveryLeafIsNew() {
        let result = LeafMatching.match([1, 2], [Int?]())
        #expect(result.kept == [nil, nil])
        #expect(result.unclaimed.isEmpty)
    }

    @Test(arguments: 0..<200)
    func comparingAndHashingAgreeWithThePool(_ seed: Int) {
        // A small linear congruential generator: the same cases on every run.
        var state = UInt64(seed) &* 6_364_136_223_846_793_005 &+ 1_442_695_040_888_963_407
        func next(_ bound: Int) -> Int {
            state = state &* 6_364_136_223_846_793_005 &+ 1_442_695_040_888_963_407
            return Int(state >> 33) % bound
        }
        let values = 1 + next(6)
        let wanted = (0..<next(40)).map { _ in next(values) }
        let observed: [Int?] = (0..<next(40)).map { _ in next(8) == 0 ? nil : next(values) }
        let expected = Self.pooled(wanted, observed)
        let compared = LeafMatching.match(wanted, observed, comparisonLimit: .max)
        let hashed = LeafMatching.match(wanted, observed, comparisonLimit: -1)
        #expect(compared.kept == expected.kept)
        #expect(compared.unclaimed == expected.unclaimed)
        #expect(hashed.kept == expected.kept)
        #expect(hashed.unclaimed == expected.unclaimed)
    }
}
