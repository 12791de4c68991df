/// Runs `work` for every element with at most `limit` in flight at once, keeping the window full (no
/// barrier between slices), and collects the results in completion order.
func forEachConcurrently<Element: Sendable, Output: Sendable>(
    _ elements: [Element], limit: Int, _ work: @escaping @Sendable (Element) async throws -> Output
) async throws -> [Output] {
    try await withThrowingTaskGroup(of: Output.self) { group in
        var outputs: [Output] = []
        outputs.reserveCapacity(elements.count)
        var iterator = elements.makeIterator()
        for _ in 0..<max(1, limit) {
            guard let element = iterator.next() else { break }
            group.addTask { try await work(element) }
        }
        while let output = try await group.next() {
            outputs.append(output)
            if let element = iterator.next() { group.addTask { try await work(element) } }
        }
        return outputs
    }
}
