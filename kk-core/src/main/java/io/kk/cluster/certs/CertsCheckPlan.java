package io.kk.cluster.certs;

import io.kk.plan.ActionResult;
import io.kk.plan.Actions;
import io.kk.plan.HostSelector;
import io.kk.plan.HostValues;
import io.kk.plan.Module;
import io.kk.plan.Task;
import java.util.List;

/** {@code kk certs check-expiration}: every host's certificates read (never changed) into a {@link HostValues}. */
public final class CertsCheckPlan {
    private CertsCheckPlan() {}

    public static Module module(HostValues<List<CertificateInfo>> found) {
        String script = CertificateFiles.readScript();
        return Module.of(
                "certificates",
                Task.parallel(
                        "read certificates",
                        HostSelector.all(),
                        Actions.of(
                                "read",
                                t -> List.of("$ " + script + "    # certificate blocks only; keys stay on the host"),
                                h -> {
                                    List<CertificateInfo> certs = CertificateFiles.parse(
                                            h.hostName(), h.sudoOk(script).stdout());
                                    found.put(h.target(), certs);
                                    return ActionResult.unchanged(certs.size() + " certificates");
                                })));
    }
}
