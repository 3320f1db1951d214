// swift-tools-version:6.1
import PackageDescription

let package = Package(
    name: "throttlectl",
    platforms: [.macOS(.v13)],
    products: [
        .library(name: "ThrottlePolicy", targets: ["ThrottlePolicy"]),
        .library(name: "TokenBucket", targets: ["TokenBucket"]),
        .library(name: "TrafficControl", targets: ["TrafficControl"]),
        .library(name: "TrafficSelection", targets: ["TrafficSelection"]),
        .executable(name: "throttlectl", targets: ["throttlectl"]),
    ],
    dependencies: [
        .package(url: "https://github.com/apple/swift-argument-parser", from: "1.5.0"),
        .package(url: "https://github.com/jpsim/Yams", from: "6.0.0"),
        .package(url: "https://github.com/x-sheep/swift-property-based", from: "2.0.0"),
        .package(url: "https://github.com/apple/swift-log", exact: "1.16.2"),
        .package(url: "https://github.com/swift-server/swift-service-lifecycle", exact: "2.13.0"),
    ],
    targets: [
        // Pure: policy model, units, OS profiles, loading with source locations, the schedule engine.
        .target(
            name: "ThrottlePolicy",
            // TokenBucket (pure too) owns the one decimal reader and the supported rate range.
            dependencies: ["TokenBucket", .product(name: "Yams", package: "Yams")]
        ),
        // Pure: tc-exact token-bucket parameters, a packet-level simulator, transfer estimates, the decimal
        // reader shared by every quantity, and the range of rates and MTUs that can be shaped.
        .target(name: "TokenBucket"),
        // Pure: service-tag files, prefix sets and merging, u32 hash layouts, diffs between selections.
        .target(name: "TrafficSelection"),
        // libnl-3 / libnl-route-3 and the Linux tc headers; imported by TrafficControl only.
        .systemLibrary(
            name: "CNetlink",
            pkgConfig: "libnl-route-3.0",
            providers: [.apt(["libnl-3-dev", "libnl-route-3-dev"])]
        ),
        // Shaping plans, the reconciler, and the Linux backend over libnl (the one seam to C).
        .target(name: "TrafficControl", dependencies: ["ThrottlePolicy", "TokenBucket", "TrafficSelection", "CNetlink"]),
        // The command-line interface as a library, so its parts are testable without spawning it.
        .target(
            name: "ThrottlectlCLI",
            dependencies: [
                "ThrottlePolicy",
                "TokenBucket",
                "TrafficControl",
                "TrafficSelection",
                .product(name: "ArgumentParser", package: "swift-argument-parser"),
                .product(name: "Logging", package: "swift-log"),
                .product(name: "ServiceLifecycle", package: "swift-service-lifecycle"),
                .product(name: "UnixSignals", package: "swift-service-lifecycle"),
            ]
        ),
        .executableTarget(name: "throttlectl", dependencies: ["ThrottlectlCLI"]),
        // Benchmarks/selection-vs-tc.sh's driver: applies a selection through the library (not a product).
        .executableTarget(
            name: "selection-bench",
            dependencies: ["ThrottlePolicy", "TrafficControl", "TrafficSelection"],
            path: "Benchmarks/SelectionDriver"
        ),
        .testTarget(
            name: "ThrottlePolicyTests",
            dependencies: [
                "ThrottlePolicy",
                "TokenBucket",
                .product(name: "PropertyBased", package: "swift-property-based"),
            ]
        ),
        .testTarget(name: "TokenBucketTests", dependencies: ["TokenBucket"]),
        .testTarget(name: "TrafficSelectionTests", dependencies: ["TrafficSelection"]),
        // Helpers for the tests that run the binary or make network namespaces.
        .target(name: "TestSupport", path: "Tests/TestSupport"),
        .testTarget(
            name: "TrafficControlTests",
            dependencies: [
                "TrafficControl", "TokenBucket", "ThrottlePolicy", "TrafficSelection", "TestSupport", "throttlectl",
                "ThrottlectlCLI",
            ]
        ),
        .testTarget(
            name: "ThrottlectlTests",
            dependencies: ["ThrottlectlCLI", "throttlectl", "TestSupport"]
        ),
    ]
)
