import ParleyCore

/// A connector that holds resources (HTTP clients, database connections, a child process) and must be
/// shut down when the application is done with it.
public protocol ManagedConnector: Connector {
    func shutdown() async
}

extension ContractConnector: ManagedConnector {}

extension Connector {
    /// Shuts the connector down when it holds resources.
    public func shutdownIfManaged() async {
        if let managed = self as? any ManagedConnector { await managed.shutdown() }
    }
}
