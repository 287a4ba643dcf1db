public import Ledger

/// What happened in the gateway, as its pipelines publish it: for the terminal lines of
/// `hafen run`, for tests that wait on what happened instead of sleeping, and for the admin
/// console to come. Subscribe with `GatewayEvents.subscribe()`.
public enum GatewayEvent: Sendable, Equatable {
    /// A stage of the import pipeline that can take a while.
    public enum Stage: String, Sendable {
        /// Read, checksum, validate and map (`CheckStage`).
        case check
        /// Plan and send to the flow's shops (`PushStage`).
        case push
    }

    /// A file was claimed from a local inbox or fetched from a partner, and registered.
    case received(FileEntry)
    /// A stage finished for a file (ledger id), with how long it took.
    case stageFinished(flow: String, file: Int64, stage: Stage, duration: Duration)
    /// A shop answered a file's objects (ledger id).
    case pushed(flow: String, file: Int64, report: PushReport)
    /// A file's outcome is committed and the file is in its final place (or back in its inbox).
    case settled(FileEntry)
    /// An export run ended: files written, objects collected, failures.
    case exported(flow: String, files: Int, collected: Int, failures: Int)
    /// A file was delivered to a partner's server.
    case delivered(partner: String, remotePath: String)
    /// A partner could not be reached or refused the login; its flows wait.
    case partnerDown(partner: String, reason: String)
    /// A partner answers again after failures.
    case partnerUp(partner: String)
}
