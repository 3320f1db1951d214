// swift-tools-version:6.1
import PackageDescription

let package = Package(
    name: "throttlectl",
    platforms: [.macOS(.v13)],
    products: [
        .library(name: "ThrottlePolicy", targets: ["ThrottlePolicy"]),
        .library(name: "TokenBucket", targets: ["TokenBucket"]),
        .executable(name: "throttlectl", targets: ["throttlectl"]),
    ],
    dependencies: [
        .package(url: "https://github.com/apple/swift-argument-parser", from: "1.5.0"),
        .package(url: "https://github.com/jpsim/Yams", from: "6.0.0"),
        .package(url: "https://github.com/x-sheep/swift-property-based", from: "2.0.0"),
    ],
    targets: [
        // Pure: policy model, units, OS profiles, loading with source locations, the schedule engine.
        .target(
            name: "ThrottlePolicy",
            dependencies: [.product(name: "Yams", package: "Yams")]
        ),
        // Pure: tc-exact token-bucket parameters, a packet-level simulator, transfer estimates.
        .target(name: "TokenBucket"),
        // The command-line interface as a library, so its parts are testable without spawning it.
        .target(
            name: "ThrottlectlCLI",
            dependencies: [
                "ThrottlePolicy",
                "TokenBucket",
                .product(name: "ArgumentParser", package: "swift-argument-parser"),
            ]
        ),
        .executableTarget(name: "throttlectl", dependencies: ["ThrottlectlCLI"]),
        .testTarget(
            name: "ThrottlePolicyTests",
            dependencies: [
                "ThrottlePolicy",
                .product(name: "PropertyBased", package: "swift-property-based"),
            ]
        ),
        .testTarget(name: "TokenBucketTests", dependencies: ["TokenBucket"]),
        .testTarget(
            name: "ThrottlectlTests",
            dependencies: ["ThrottlectlCLI", "throttlectl"]
        ),
    ]
)
