package nl.beeldbrug.adapters.dicom.net;

import java.io.IOException;
import java.nio.file.Path;
import java.util.List;
import java.util.concurrent.atomic.AtomicBoolean;
import nl.beeldbrug.adapters.dicom.data.Attributes;
import nl.beeldbrug.adapters.dicom.data.DicomParseException;
import nl.beeldbrug.adapters.dicom.data.VR;
import nl.beeldbrug.adapters.dicom.dict.Tag;
import nl.beeldbrug.adapters.dicom.file.DicomFile;
import org.slf4j.Logger;
import org.slf4j.LoggerFactory;

/** DIMSE service provider side: answers requests arriving on an association. Never throws to the reader. */
final class ServiceProvider {
    private static final Logger LOG = LoggerFactory.getLogger(ServiceProvider.class);
    private final Association as;
    private final AssociationConfig cfg;

    ServiceProvider(Association as) {
        this.as = as;
        this.cfg = as.config();
    }

    void onRequest(IncomingMessage msg) throws IOException {
        Attributes cmd = msg.command;
        int field = Dimse.commandField(cmd);
        switch (field) {
            case Dimse.C_ECHO_RQ -> as.send(msg.pcid, Dimse.response(cmd, Dimse.SUCCESS, false), null);
            case Dimse.C_STORE_RQ -> store(msg);
            case Dimse.C_CANCEL_RQ -> as.cancel(cmd.getInt(Tag.MessageIDBeingRespondedTo, -1));
            case Dimse.C_FIND_RQ, Dimse.C_MOVE_RQ, Dimse.C_GET_RQ -> query(msg, field);
            default -> as.send(msg.pcid, Dimse.response(cmd, 0x0211, false), null); // unrecognized operation
        }
    }

    private void store(IncomingMessage msg) throws IOException {
        Attributes cmd = msg.command;
        Path file = msg.file();
        int status;
        try {
            status = storeStatus(msg, file);
        } finally {
            Association.deleteQuietly(file);
        }
        Attributes rsp = Dimse.response(cmd, status, false);
        as.send(msg.pcid, rsp, null);
    }

    private int storeStatus(IncomingMessage msg, Path file) {
        if (cfg.storeHandler() == null || file == null) {
            return msg.failure() != null ? Dimse.OUT_OF_RESOURCES : Dimse.SOP_CLASS_NOT_SUPPORTED;
        }
        if (msg.failure() != null) {
            LOG.warn("{}: C-STORE not stored: {}", as.name(), msg.failure());
            return Dimse.OUT_OF_RESOURCES;
        }
        String cuid = msg.command.getString(Tag.AffectedSOPClassUID);
        String iuid = msg.command.getString(Tag.AffectedSOPInstanceUID);
        try {
            DicomFile df = DicomFile.read(file);
            if (iuid == null || !iuid.equals(df.dataset().getString(Tag.SOPInstanceUID))) {
                return Dimse.IDENTIFIER_DOES_NOT_MATCH; // data set does not match SOP instance of the command
            }
            ReceivedInstance instance = new ReceivedInstance(file, cuid, iuid, msg.transferSyntax, as.peerAe(), df.dataset());
            int status = cfg.storeHandler().store(instance);
            as.admitted().stored(instance, status);
            return status;
        } catch (DicomParseException e) {
            LOG.warn("{}: C-STORE data set malformed: {}", as.name(), e.getMessage());
            return Dimse.CANNOT_UNDERSTAND;
        } catch (Exception e) {
            LOG.warn("{}: store handler failed: {}", as.name(), e.toString());
            return Dimse.PROCESSING_FAILURE;
        }
    }

    private void query(IncomingMessage msg, int field) throws IOException {
        Attributes cmd = msg.command;
        Attributes keys = null;
        int error = 0;
        if (msg.failure() != null) {
            error = Dimse.OUT_OF_RESOURCES;
        } else {
            try {
                keys = msg.dataset();
            } catch (IOException e) {
                error = Dimse.CANNOT_UNDERSTAND;
            }
        }
        if (keys == null && error == 0) {
            error = Dimse.IDENTIFIER_DOES_NOT_MATCH;
        }
        if (cfg.queryHandler() == null) {
            error = Dimse.SOP_CLASS_NOT_SUPPORTED;
        }
        if (error != 0) {
            as.send(msg.pcid, Dimse.response(cmd, error, false), null);
            return;
        }
        Attributes identifier = keys;
        int id = cmd.getInt(Tag.MessageID, 0);
        boolean queued = as.runOperation(id, cancelled -> {
            try {
                switch (field) {
                    case Dimse.C_FIND_RQ -> find(msg, identifier, cancelled);
                    case Dimse.C_MOVE_RQ -> move(msg, identifier, cancelled);
                    default -> get(msg, identifier, cancelled);
                }
            } catch (IOException e) {
                LOG.debug("{}: response not sent: {}", as.name(), e.getMessage());
            } catch (RuntimeException e) {
                LOG.error("{}: request {} failed", as.name(), id, e);
                try {
                    as.send(msg.pcid, Dimse.response(cmd, Dimse.CANNOT_UNDERSTAND, false), null);
                } catch (IOException ignored) {
                    // association gone
                }
            }
        });
        if (!queued) {
            LOG.warn("{}: request {} refused: too many outstanding operations or duplicate message id", as.name(), id);
            as.send(msg.pcid, Dimse.response(cmd, Dimse.OUT_OF_RESOURCES, false), null);
        }
    }

    private void find(IncomingMessage msg, Attributes keys, AtomicBoolean cancelled) throws IOException {
        String model = msg.command.getString(Tag.AffectedSOPClassUID);
        int status;
        try {
            cfg.queryHandler().find(as.peerAe(), model, keys, match -> {
                if (cancelled.get()) {
                    return false;
                }
                try {
                    as.send(msg.pcid, Dimse.response(msg.command, Dimse.PENDING, true), DataWriter.of(match));
                } catch (IOException e) {
                    cancelled.set(true);
                    return false;
                }
                return !cancelled.get();
            });
            status = cancelled.get() ? Dimse.CANCEL : Dimse.SUCCESS;
        } catch (DimseException e) {
            LOG.info("{}: C-FIND refused: {}", as.name(), e.getMessage());
            status = e.status();
        } catch (Exception e) {
            LOG.warn("{}: C-FIND failed: {}", as.name(), e.toString());
            status = Dimse.CANNOT_UNDERSTAND;
        }
        if (as.isOpen()) {
            as.send(msg.pcid, Dimse.response(msg.command, status, false), null);
        }
    }

    private void move(IncomingMessage msg, Attributes keys, AtomicBoolean cancelled) throws IOException {
        String dest = msg.command.getString(Tag.MoveDestination);
        RemoteAe remote = dest == null ? null : cfg.moveDestinations().get(dest.trim());
        if (remote == null) {
            as.send(msg.pcid, Dimse.response(msg.command, Dimse.MOVE_DESTINATION_UNKNOWN, false), null);
            retrieved(List.of(), new RetrieveResult(Dimse.MOVE_DESTINATION_UNKNOWN, 0, 0, 0));
            return;
        }
        List<Path> files = locate(msg, keys, "C-MOVE");
        if (files == null) {
            return;
        }
        RetrieveResult result = null;
        try {
            if (files.isEmpty()) {
                result = subOperations(msg, files, cancelled, null); // nothing to send: no association to open
                return;
            }
            DicomClient client = new DicomClient(cfg.withStoreHandler(cfg.spoolDir(), null).withQueryHandler(null));
            Association sub;
            try {
                sub = client.connect(remote, DicomClient.storageContexts(files), List.of());
            } catch (IOException e) {
                LOG.warn("{}: C-MOVE destination {} unreachable: {}", as.name(), dest, e.getMessage());
                result = new RetrieveResult(Dimse.OUT_OF_RESOURCES_SUB_OPERATIONS, 0, 0, 0);
                as.send(msg.pcid, Dimse.response(msg.command, Dimse.OUT_OF_RESOURCES_SUB_OPERATIONS, false), null);
                return;
            }
            try {
                result = subOperations(msg, files, cancelled, sub);
            } finally {
                sub.close();
            }
        } finally {
            retrieved(files, result);
        }
    }

    private void get(IncomingMessage msg, Attributes keys, AtomicBoolean cancelled) throws IOException {
        List<Path> files = locate(msg, keys, "C-GET");
        if (files == null) {
            return;
        }
        RetrieveResult result = null;
        try {
            result = subOperations(msg, files, cancelled, as);
        } finally {
            retrieved(files, result);
        }
    }

    /** The located files, or null when a failure status has been answered. */
    private List<Path> locate(IncomingMessage msg, Attributes keys, String operation) throws IOException {
        int status;
        try {
            return cfg.queryHandler().locate(as.peerAe(), msg.command.getString(Tag.AffectedSOPClassUID), keys);
        } catch (DimseException e) {
            LOG.info("{}: {} refused: {}", as.name(), operation, e.getMessage());
            status = e.status();
        } catch (Exception e) {
            LOG.warn("{}: {} locate failed: {}", as.name(), operation, e.toString());
            status = Dimse.CANNOT_UNDERSTAND;
        }
        as.send(msg.pcid, Dimse.response(msg.command, status, false), null);
        return null;
    }

    private void retrieved(List<Path> files, RetrieveResult result) {
        try {
            cfg.queryHandler().retrieved(as.peerAe(), files,
                    result != null ? result : new RetrieveResult(Dimse.PROCESSING_FAILURE, 0, 0, 0));
        } catch (RuntimeException e) {
            LOG.warn("{}: after retrieve: {}", as.name(), e.toString());
        }
    }

    private RetrieveResult subOperations(IncomingMessage msg, List<Path> files, AtomicBoolean cancelled,
                                         Association target) throws IOException {
        int completed = 0;
        int failed = 0;
        int warning = 0;
        int remaining = files.size();
        int id = msg.command.getInt(Tag.MessageID, 0);
        for (Path f : files) {
            if (cancelled.get()) {
                break;
            }
            int st;
            try {
                st = DimseScu.store(target, f, target == as ? null : as.peerAe(), id);
            } catch (IOException e) {
                LOG.warn("{}: sub-operation failed: {}", as.name(), e.getMessage());
                st = Dimse.PROCESSING_FAILURE;
            }
            remaining--;
            if (st == Dimse.SUCCESS) {
                completed++;
            } else if ((st & 0xF000) == 0xB000) {
                warning++;
            } else {
                failed++;
            }
            if (remaining > 0) {
                as.send(msg.pcid, counts(Dimse.response(msg.command, Dimse.PENDING, false), remaining, completed,
                        failed, warning), null);
            }
        }
        int status = cancelled.get() ? Dimse.CANCEL
                : failed == 0 && warning == 0 ? Dimse.SUCCESS
                : completed == 0 && warning == 0 ? Dimse.OUT_OF_RESOURCES_SUB_OPERATIONS : Dimse.SUB_OPERATIONS_WARNING;
        Attributes rsp = Dimse.response(msg.command, status, false);
        counts(rsp, cancelled.get() ? remaining : -1, completed, failed, warning);
        if (as.isOpen()) {
            as.send(msg.pcid, rsp, null);
        }
        return new RetrieveResult(status, completed, failed, warning);
    }

    private static Attributes counts(Attributes rsp, int remaining, int completed, int failed, int warning) {
        if (remaining >= 0) {
            rsp.setInt(Tag.NumberOfRemainingSuboperations, VR.US, remaining);
        }
        rsp.setInt(Tag.NumberOfCompletedSuboperations, VR.US, completed);
        rsp.setInt(Tag.NumberOfFailedSuboperations, VR.US, failed);
        rsp.setInt(Tag.NumberOfWarningSuboperations, VR.US, warning);
        return rsp;
    }
}
