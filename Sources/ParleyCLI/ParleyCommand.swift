import ArgumentParser

public struct ParleyCommand: AsyncParsableCommand {
    public static let configuration = CommandConfiguration(
        commandName: "parley",
        abstract: "Two-way master-data sync between a custom ERP and a custom PMS.",
        subcommands: []
    )
    public init() {}
}
