// swift-tools-version:6.1
// Benchmarks live in their own package so that package-benchmark stays out of the product's dependency graph.
// Run: cd Benchmarks && swift package --allow-writing-to-package-directory benchmark
import PackageDescription

let package = Package(
    name: "throttlectl-benchmarks",
    platforms: [.macOS(.v13)],
    dependencies: [
        .package(name: "throttlectl", path: "../"),
        .package(url: "https://github.com/ordo-one/benchmark", from: "1.38.1", traits: ["MallocInterposer"]),
    ],
    targets: [
        .executableTarget(
            name: "ScheduleBenchmarks",
            dependencies: [
                .product(name: "Benchmark", package: "benchmark"),
                .product(name: "ThrottlePolicy", package: "throttlectl"),
            ],
            path: "Benchmarks/ScheduleBenchmarks",
            plugins: [.plugin(name: "BenchmarkPlugin", package: "benchmark")]
        ),
        .executableTarget(
            name: "TokenBucketBenchmarks",
            dependencies: [
                .product(name: "Benchmark", package: "benchmark"),
                .product(name: "ThrottlePolicy", package: "throttlectl"),
                .product(name: "TokenBucket", package: "throttlectl"),
            ],
            path: "Benchmarks/TokenBucketBenchmarks",
            plugins: [.plugin(name: "BenchmarkPlugin", package: "benchmark")]
        ),
    ]
)
