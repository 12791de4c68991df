extension Duration {
    /// Whole milliseconds (truncated): how durations are reported in pass summaries and logs.
    public var wholeMilliseconds: Int64 { components.seconds * 1000 + components.attoseconds / 1_000_000_000_000_000 }
}
