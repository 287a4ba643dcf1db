import Foundation
import Formats
public import Ledger
import Logging
import Transport

extension Gateway {
    /// What one pass over the inboxes did.
    public struct Pass: Sendable {
        public var finished: [FileEntry] = []
        public var deferred = 0
    }

    /// Looks at every inbox once and handles each file that is ready.
    @discardableResult
    public func scanOnce() async -> Pass {
        var pass = Pass()
        pass.finished = await retryUnfinished()
        for flow in config.flows {
            if let remote = flow.remote {
                await scanRemote(flow, location: remote, into: &pass)
            } else {
                await scan(flow, into: &pass)
            }
        }
        await deliverPending()
        return pass
    }

    private func scan(_ flow: FlowConfig, into pass: inout Pass) async {
        let directory = LocalDirectory(path: inbox(flow))
        let entries: [InboxEntry]
        do {
            entries = try directory.list()
        } catch {
            logger.error("cannot list inbox", metadata: ["flow": "\(flow.name)", "error": "\(error)"])
            return
        }
        let candidates = entries.filter { Self.isCandidate($0, flow: flow) }
        let ready = trackers[flow.name]!.ready(candidates) { directory.contains($0) }
        for entry in ready {
            trackers[flow.name]!.forget(entry.nameBytes)
            if let finished = await take(entry, from: directory, flow: flow) { pass.finished.append(finished) }
        }
    }

    /// Whether a listed name is one the flow looks at: not a folder, not a file still being
    /// written by convention, not a done-marker, and matching the glob (a refused name is
    /// looked at, to be reported). The same for local inboxes and partners' folders.
    static func isCandidate(_ entry: InboxEntry, flow: FlowConfig) -> Bool {
        if entry.kind == .directory || FileNamePolicy.isTemporary(entry.name) { return false }
        if case .marker(let suffixes) = flow.readiness, suffixes.contains(where: { entry.name.hasSuffix($0) }) { return false }
        return FileNamePolicy.problem(with: entry.nameBytes) != nil || FileNamePolicy.matches(entry.name, glob: flow.glob)
    }

    /// Why a ready entry is refused without reading it (a bad name, a link, a pipe, too
    /// large), or nil. `remote`: the entry is on a partner's server, where it is left.
    static func refusal(of entry: InboxEntry, flow: FlowConfig, remote: Bool = false) -> (DiagnosticCode, String)? {
        let left = remote ? "; it was left on the server" : ""
        if let problem = FileNamePolicy.problem(with: entry.nameBytes) {
            return (.badFileName, "the file name \"\(entry.name)\" is refused: \(problem)\(left)")
        } else if entry.kind == .symlink {
            return (.symlinkRefused, "\"\(entry.name)\" is a symbolic link\(remote ? " on the server" : ""); Hafen only takes regular files\(left)")
        } else if entry.kind != .regular {
            return (.notRegularFile, "\"\(entry.name)\" is not a regular file\(remote ? " on the server" : " (a pipe, socket or device)")\(left)")
        } else if entry.size > flow.maxSize {
            return (.fileTooLarge, "the file has \(entry.size) bytes, over the flow's limit of \(flow.maxSize)\(left)")
        }
        return nil
    }

    /// Claims one entry and handles it; refuses links, pipes, bad names and oversized files.
    private func take(_ entry: InboxEntry, from directory: LocalDirectory, flow: FlowConfig) async -> FileEntry? {
        let refusal = Self.refusal(of: entry, flow: flow)
        let workPath = FileNames.work(in: workArea(flow), name: entry.nameBytes)
        do {
            try FileManager.default.createDirectory(atPath: workArea(flow), withIntermediateDirectories: true)
            guard try directory.claim(entry, to: workPath) else { return nil }  // another process won
            if case .marker(let suffixes) = flow.readiness {
                for suffix in suffixes { directory.remove(entry.name + suffix) }
            }
            let registered = try ledger.register(
                flow: flow.name, source: flow.sourceLabel(config), name: entry.name, workPath: workPath,
                size: entry.size)
            logger.info("claimed", metadata: ["flow": "\(flow.name)", "file.name": "\(entry.name)", "file.id": "\(registered.id)"])
            events.publish(.received(registered))
            CrashPoint.claimed.reach()
            if let (code, message) = refusal {
                return try settlement.refuse(registered, flow: flow, code: code, message: message)
            }
            return try await process(registered, flow: flow)
        } catch {
            logger.error("could not take file", metadata: ["flow": "\(flow.name)", "file.name": "\(entry.name)", "error": "\(error)"])
            return nil
        }
    }
}
