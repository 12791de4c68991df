extension Array {
    /// The nearest-rank percentile of an array sorted ascending: the element at rank ⌈p/100 × n⌉ (the smallest
    /// with at least p% of the elements at or below it); nil when empty. One definition for every figure the
    /// benchmarks print (p50, p90, p95, p99).
    func nearestRank(_ percent: Double) -> Element? {
        guard !isEmpty else { return nil }
        let rank = Int((percent / 100 * Double(count)).rounded(.up))
        return self[Swift.min(Swift.max(rank, 1), count) - 1]
    }
}
