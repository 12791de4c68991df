import Testing

/// Reliability and security scenarios: hostile inputs, failing systems, webhooks, clocks, store failures,
/// config fuzzing and secrets. Run them with `swift test --filter Reliability`.
@Suite("Reliability")
enum Reliability {}
