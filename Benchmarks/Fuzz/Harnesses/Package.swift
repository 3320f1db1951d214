// swift-tools-version:6.1
// libFuzzer harnesses, in their own package: they link only with `-sanitize=fuzzer`, so the product's
// `swift build` and `swift test` must never see them. Build and run them with `Benchmarks/fuzz.sh`.
import PackageDescription

/// One executable per harness: `LLVMFuzzerTestOneInput`, and a `main` that runs libFuzzer (see FuzzSupport).
func harness(_ name: String, _ products: [String]) -> Target {
    .executableTarget(
        name: name,
        dependencies: ["FuzzSupport"] + products.map { .product(name: $0, package: "throttlectl") }
    )
}

let package = Package(
    name: "throttlectl-fuzz",
    platforms: [.macOS(.v13)],
    dependencies: [
        .package(name: "throttlectl", path: "../../.."),
    ],
    targets: [
        .target(name: "FuzzSupport"),
        harness("FuzzPolicy", ["ThrottlePolicy"]),
        harness("FuzzQuantities", ["ThrottlePolicy", "TokenBucket"]),
        harness("FuzzISO8601", ["ThrottlePolicy"]),
        harness("FuzzNetlink", ["TrafficControl"]),
        harness("FuzzServiceTags", ["TrafficSelection"]),
    ]
)
