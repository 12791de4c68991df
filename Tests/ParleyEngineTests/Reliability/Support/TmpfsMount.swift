import Foundation

/// A small tmpfs mounted for one test: a real file system that really fills up. Needs the right to mount
/// (root in a container that allows it); `mount` returns nil where it is not permitted.
struct TmpfsMount {
    let path: String

    static func mount(at path: String, megabytes: Int) -> TmpfsMount? {
        try? FileManager.default.createDirectory(atPath: path, withIntermediateDirectories: true)
        guard run("/bin/mount", ["-t", "tmpfs", "-o", "size=\(megabytes)m", "tmpfs", path]) == 0 else { return nil }
        return TmpfsMount(path: path)
    }

    /// Writes a file until the file system is full.
    func fill() {
        let filler = path + "/filler"
        _ = FileManager.default.createFile(atPath: filler, contents: nil)
        guard let handle = FileHandle(forWritingAtPath: filler) else { return }
        let chunk = Data(repeating: 0x5A, count: 64 << 10)
        while (try? handle.write(contentsOf: chunk)) != nil {}
        // The last partial chunk: byte by byte would be slow; small writes fill the rest.
        let small = Data(repeating: 0x5A, count: 512)
        while (try? handle.write(contentsOf: small)) != nil {}
        try? handle.close()
    }

    func free() { try? FileManager.default.removeItem(atPath: path + "/filler") }

    func unmount() { _ = Self.run("/bin/umount", ["-l", path]) }

    @discardableResult
    static func run(_ tool: String, _ arguments: [String]) -> Int32 {
        let process = Process()
        process.executableURL = URL(fileURLWithPath: tool)
        process.arguments = arguments
        process.standardOutput = FileHandle.nullDevice
        process.standardError = FileHandle.nullDevice
        guard (try? process.run()) != nil else { return -1 }
        process.waitUntilExit()
        return process.terminationStatus
    }
}
