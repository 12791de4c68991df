// swift-tools-version:6.1
import PackageDescription

// Layered per DESIGN.md: ParleyCore has no I/O; adapters (config, store, connectors, reference systems,
// server) sit around it; ParleyCLI wires them; `parley` is a thin executable.
let strict: [SwiftSetting] = [
    .enableUpcomingFeature("ExistentialAny"),
]

let package = Package(
    name: "Parley",
    platforms: [.macOS(.v14)],
    products: [
        .executable(name: "parley", targets: ["parley"]),
    ],
    dependencies: [
        .package(url: "https://github.com/hummingbird-project/hummingbird.git", from: "2.28.1"),
        .package(url: "https://github.com/groue/GRDB.swift.git", from: "7.10.0"),
        .package(url: "https://github.com/jpsim/Yams.git", from: "6.2.2"),
        .package(url: "https://github.com/apple/swift-argument-parser.git", from: "1.8.2"),
        .package(url: "https://github.com/apple/swift-log.git", from: "1.16.2"),
        .package(url: "https://github.com/apple/swift-crypto.git", "3.12.3"..<"5.0.0"),
        .package(url: "https://github.com/swift-server/async-http-client.git", from: "1.37.0"),
        .package(url: "https://github.com/swift-server/swift-service-lifecycle.git", from: "2.13.0"),
        .package(url: "https://github.com/apple/swift-metrics.git", from: "2.13.0"),
        .package(url: "https://github.com/swift-server/swift-prometheus.git", from: "2.4.1"),
        .package(url: "https://github.com/vapor/postgres-nio.git", from: "1.33.2"),
    ],
    targets: [
        .target(name: "ParleyCore", swiftSettings: strict),
        .target(
            name: "ParleyConfig",
            dependencies: ["ParleyCore", .product(name: "Yams", package: "Yams")],
            swiftSettings: strict
        ),
        // PostgreSQL connection support shared by the state store and the SQL connector (no Parley types).
        .target(
            name: "ParleyPostgres",
            dependencies: [
                .product(name: "PostgresNIO", package: "postgres-nio"),
                .product(name: "Logging", package: "swift-log"),
            ],
            swiftSettings: strict
        ),
        .target(
            name: "ParleyStore",
            dependencies: [
                "ParleyCore", "ParleyPostgres",
                .product(name: "GRDB", package: "GRDB.swift"),
                .product(name: "PostgresNIO", package: "postgres-nio"),
                .product(name: "Logging", package: "swift-log"),
            ],
            swiftSettings: strict
        ),
        .target(
            name: "ParleyConnectors",
            dependencies: [
                "ParleyCore", "ParleyConfig", "ParleyPostgres",
                .product(name: "AsyncHTTPClient", package: "async-http-client"),
                .product(name: "GRDB", package: "GRDB.swift"),
                .product(name: "PostgresNIO", package: "postgres-nio"),
                .product(name: "Crypto", package: "swift-crypto"),
                .product(name: "Logging", package: "swift-log"),
                .product(name: "Metrics", package: "swift-metrics"),
            ],
            swiftSettings: strict
        ),
        .target(
            name: "ParleyEngine",
            dependencies: [
                "ParleyCore",
                .product(name: "Logging", package: "swift-log"),
                .product(name: "ServiceLifecycle", package: "swift-service-lifecycle"),
            ],
            swiftSettings: strict
        ),
        .target(
            name: "ParleyReference",
            dependencies: [
                .product(name: "Hummingbird", package: "hummingbird"),
                .product(name: "GRDB", package: "GRDB.swift"),
                .product(name: "Crypto", package: "swift-crypto"),
                .product(name: "AsyncHTTPClient", package: "async-http-client"),
                .product(name: "Logging", package: "swift-log"),
                .product(name: "ServiceLifecycle", package: "swift-service-lifecycle"),
                .product(name: "UnixSignals", package: "swift-service-lifecycle"),
            ],
            swiftSettings: strict
        ),
        .target(name: "ParleyDocs", dependencies: ["ParleyCore"], swiftSettings: strict),
        .target(
            name: "ParleyBench",
            dependencies: [
                "ParleyCore", "ParleyEngine", "ParleyStore", "ParleyConnectors", "ParleyReference", "ParleyConfig",
                .product(name: "Hummingbird", package: "hummingbird"),
                .product(name: "Logging", package: "swift-log"),
            ],
            swiftSettings: strict
        ),
        .target(
            name: "ParleyServer",
            dependencies: [
                "ParleyCore", "ParleyEngine", "ParleyConnectors",
                .product(name: "Hummingbird", package: "hummingbird"),
                .product(name: "Crypto", package: "swift-crypto"),
                .product(name: "Logging", package: "swift-log"),
                .product(name: "Metrics", package: "swift-metrics"),
                .product(name: "Prometheus", package: "swift-prometheus"),
                .product(name: "ServiceLifecycle", package: "swift-service-lifecycle"),
            ],
            swiftSettings: strict
        ),
        .target(
            name: "ParleyCLI",
            dependencies: [
                "ParleyCore", "ParleyConfig", "ParleyStore", "ParleyConnectors", "ParleyEngine", "ParleyReference",
                "ParleyDocs", "ParleyServer", "ParleyBench",
                .product(name: "ArgumentParser", package: "swift-argument-parser"),
                .product(name: "Logging", package: "swift-log"),
                .product(name: "ServiceLifecycle", package: "swift-service-lifecycle"),
                .product(name: "UnixSignals", package: "swift-service-lifecycle"),
            ],
            swiftSettings: strict
        ),
        .executableTarget(name: "parley", dependencies: ["ParleyCLI"], swiftSettings: strict),
        .target(
            name: "ParleyTestSupport",
            dependencies: [
                "ParleyCore", "ParleyReference", "ParleyConnectors", "ParleyStore", "ParleyEngine", "ParleyConfig",
                .product(name: "PostgresNIO", package: "postgres-nio"),
            ],
            path: "Tests/ParleyTestSupport",
            swiftSettings: strict
        ),
        .testTarget(name: "ParleyCoreTests", dependencies: ["ParleyCore"], swiftSettings: strict),
        .testTarget(name: "ParleyBenchTests", dependencies: ["ParleyBench", "ParleyCore", "ParleyTestSupport"], swiftSettings: strict),
        .testTarget(name: "ParleyConfigTests", dependencies: ["ParleyConfig"], swiftSettings: strict),
        .testTarget(
            name: "ParleyStoreTests",
            dependencies: ["ParleyStore", "ParleyTestSupport", "ParleyCore", .product(name: "GRDB", package: "GRDB.swift")],
            swiftSettings: strict
        ),
        .testTarget(
            name: "ParleyConnectorsTests",
            dependencies: [
                "ParleyConnectors", "ParleyTestSupport", "ParleyEngine", "ParleyStore", "ParleyConfig", "ParleyCore",
                .product(name: "Hummingbird", package: "hummingbird"),
                .product(name: "PostgresNIO", package: "postgres-nio"),
                .product(name: "GRDB", package: "GRDB.swift"),
            ],
            swiftSettings: strict
        ),
        .testTarget(name: "ParleyDocsTests", dependencies: ["ParleyDocs", "ParleyTestSupport", "ParleyConfig"], swiftSettings: strict),
        .testTarget(
            name: "ParleyServerTests",
            dependencies: [
                "ParleyServer", "ParleyTestSupport", "ParleyEngine", "ParleyStore",
                .product(name: "AsyncHTTPClient", package: "async-http-client"),
                .product(name: "Crypto", package: "swift-crypto"),
            ],
            swiftSettings: strict
        ),
        .testTarget(
            name: "ParleyReferenceTests",
            dependencies: [
                "ParleyReference",
                .product(name: "AsyncHTTPClient", package: "async-http-client"),
                .product(name: "Crypto", package: "swift-crypto"),
                .product(name: "Hummingbird", package: "hummingbird"),
            ],
            swiftSettings: strict
        ),
        .testTarget(
            name: "ParleyEngineTests",
            dependencies: ["ParleyTestSupport", "ParleyCore", "ParleyEngine", "ParleyStore", "ParleyConnectors", "ParleyReference", "ParleyConfig", .product(name: "Hummingbird", package: "hummingbird"), .product(name: "HummingbirdTLS", package: "hummingbird"), .product(name: "Crypto", package: "swift-crypto")],
            swiftSettings: strict
        ),
    ]
)
