import Foundation
import Testing
import TestSupport

/// Every public symbol of the two libraries people use in their own tests has a `///` doc comment
/// (contrib/checks/doc-coverage.py, which fails listing FILE:LINE of each one without).
struct DocCoverageTests {
    static let checker = Contrib.path("checks/doc-coverage.py")

    @Test(arguments: ["ThrottlePolicy", "TokenBucket"])
    func everyPublicSymbolIsDocumented(library: String) throws {
        let folder = BinaryRunner.packageRoot.appendingPathComponent("Sources/\(library)").path
        let result = try run(["python3", Self.checker, folder], allowFailure: true)
        #expect(result.status == 0, "\(result.output)")
        #expect(result.output.contains("0 public symbols without a doc comment"), "\(result.output)")
    }

    /// The checker finds what it should: a declaration, an enum case and a `private(set)` property without a
    /// comment, but not a documented one, an extension, or a `case` inside a method's switch.
    @Test func checkerFindsUndocumentedSymbols() throws {
        try Contrib.withScratchFolder("doc-coverage") { folder in
            try """
                /// Documented.
                public struct Documented {
                    /// Documented.
                    public var a: Int
                    public private(set) var b: Int
                    /// Documented.
                    @discardableResult
                    public func c() -> Int { switch a { case 0: return 0
                        default: return 1 } }
                }
                public extension Documented {}
                /// Documented.
                public enum Kind {
                    /// Documented.
                    case one
                    case two
                }
                public func bare() {}
                """.write(to: folder.appendingPathComponent("Sample.swift"), atomically: true, encoding: .utf8)
            let result = try run(["python3", Self.checker, folder.path], allowFailure: true)
            #expect(result.status == 1)
            let lines = result.output.split(separator: "\n").filter { $0.contains("Sample.swift:") }
            #expect(lines.map { $0.split(separator: ":")[1] } == ["5", "16", "18"], "\(result.output)")
        }
    }
}
