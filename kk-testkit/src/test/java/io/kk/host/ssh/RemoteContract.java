package io.kk.host.ssh;

import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.assertThatThrownBy;

import io.kk.error.ErrorKind;
import io.kk.error.KkException;
import io.kk.host.CommandResult;
import io.kk.host.Remote;
import io.kk.host.RemoteCommand;
import io.kk.host.UploadResult;
import java.io.IOException;
import java.nio.charset.StandardCharsets;
import java.nio.file.Files;
import java.nio.file.Path;
import java.time.Duration;
import java.util.stream.Stream;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;

/**
 * What every {@link Remote} over SSH must do, run against the in-process server and a real OpenSSH
 * sshd. The servers run on this machine, so a test checks the remote side on the local file system
 * and process table.
 */
abstract class RemoteContract {
    @TempDir
    Path scratch;

    /** Logs in as root (no sudo involved). */
    protected abstract Remote root();

    /** Logs in as a user who may sudo with a password. */
    protected abstract Remote sudoer();

    /** The user name a sudo command runs as on this server. */
    protected abstract String sudoRunsAs();

    /** SSH connections the server has accepted so far. */
    protected abstract int connectionsAccepted();

    @Test
    void capturesStdoutStderrAndExitCodeSeparately() {
        CommandResult r = root().run(RemoteCommand.plain("echo out; echo err >&2; exit 3"));
        assertThat(r.exitCode()).isEqualTo(3);
        assertThat(r.stdout()).isEqualTo("out\n");
        assertThat(r.stderr()).isEqualTo("err\n");
    }

    @Test
    void feedsStdinToTheCommand() {
        CommandResult r = root().run(RemoteCommand.plain("tr a-z A-Z").withStdin("hello\nworld\n"));
        assertThat(r.stdout()).isEqualTo("HELLO\nWORLD\n");
    }

    @Test
    void reusesOneConnectionForManyCommands() throws IOException {
        Remote r = root();
        r.run(RemoteCommand.plain("true"));
        int before = connectionsAccepted();
        for (int i = 0; i < 3; i++) {
            r.run(RemoteCommand.plain("echo " + i)).orThrow(r.hostName(), "echo");
        }
        Path f = Files.writeString(scratch.resolve("f"), "x");
        r.upload(f, scratch.resolve("g").toString(), 0644);
        assertThat(connectionsAccepted()).isEqualTo(before);
    }

    @Test
    void timeoutKillsTheRemoteCommandAndItsChildren() throws Exception {
        assertKilledOnTimeout(root(), false);
    }

    @Test
    void timeoutKillsASudoCommandAndItsChildren() throws Exception {
        assertKilledOnTimeout(sudoer(), true);
    }

    private void assertKilledOnTimeout(Remote remote, boolean sudo) throws Exception {
        Path pids = Files.createDirectories(scratch.resolve("pids-" + sudo));
        pids.toFile().setWritable(true, false);
        Path shell = pids.resolve("shell.pid");
        Path child = pids.resolve("child.pid");
        String script = "echo $$ > " + shell + "; sleep 300 & echo $! > " + child + "; wait";
        RemoteCommand cmd = new RemoteCommand(script, sudo, Duration.ofSeconds(2), "", false);
        assertThatThrownBy(() -> remote.run(cmd))
                .isInstanceOf(KkException.class)
                .satisfies(e -> assertThat(((KkException) e).kind()).isEqualTo(ErrorKind.FAILED))
                .hasMessageContaining(remote.hostName())
                .hasMessageContaining("did not finish within 2s and was killed");
        long shellPid = Long.parseLong(Files.readString(shell).strip());
        long childPid = Long.parseLong(Files.readString(child).strip());
        assertThat(awaitGone(shellPid))
                .as("the remote shell %d is gone", shellPid)
                .isTrue();
        assertThat(awaitGone(childPid))
                .as("its child sleep %d is gone", childPid)
                .isTrue();
        // and the connection still works
        assertThat(remote.run(RemoteCommand.plain("echo still here")).stdout()).isEqualTo("still here\n");
    }

    /** True once the process is gone or a zombie; gives the kernel up to 10 s to deliver the kill. */
    static boolean awaitGone(long pid) throws Exception {
        for (int i = 0; i < 100; i++) {
            Path stat = Path.of("/proc/" + pid + "/stat");
            if (!Files.exists(stat)) {
                return true;
            }
            try {
                String s = Files.readString(stat);
                if (s.substring(s.lastIndexOf(')') + 2).startsWith("Z")) {
                    return true;
                }
            } catch (IOException e) {
                return true;
            }
            Thread.sleep(100);
        }
        return false;
    }

    @Test
    void uploadWritesThroughATempNameWithTheModeAndSkipsTheSameFile() throws Exception {
        Remote r = root();
        Path local = Files.writeString(scratch.resolve("local.bin"), "version 1\n");
        Path destDir = scratch.resolve("dest/sub");
        String dest = destDir.resolve("tool").toString();

        assertThat(r.upload(local, dest, 0750)).isEqualTo(UploadResult.UPLOADED);
        assertThat(Files.readString(Path.of(dest))).isEqualTo("version 1\n");
        assertThat(mode(r, dest)).isEqualTo("750");
        String inode1 = inode(r, dest);

        assertThat(r.upload(local, dest, 0750)).isEqualTo(UploadResult.UNCHANGED);
        assertThat(inode(r, dest)).as("skipped: the same file is left alone").isEqualTo(inode1);

        Files.writeString(local, "version 2\n");
        assertThat(r.upload(local, dest, 0755)).isEqualTo(UploadResult.UPLOADED);
        assertThat(Files.readString(Path.of(dest))).isEqualTo("version 2\n");
        assertThat(mode(r, dest)).isEqualTo("755");
        assertThat(inode(r, dest))
                .as("renamed into place, not rewritten in place")
                .isNotEqualTo(inode1);
        try (Stream<Path> left = Files.list(destDir)) {
            assertThat(left.map(p -> p.getFileName().toString())).containsExactly("tool");
        }
    }

    @Test
    void uploadFixesOnlyTheModeWhenTheContentIsTheSame() throws Exception {
        Remote r = root();
        Path local = Files.writeString(scratch.resolve("conf"), "a=b\n");
        String dest = scratch.resolve("conf.out").toString();
        r.upload(local, dest, 0600);
        String inode = inode(r, dest);
        assertThat(r.upload(local, dest, 0644)).isEqualTo(UploadResult.UPLOADED);
        assertThat(mode(r, dest)).isEqualTo("644");
        assertThat(inode(r, dest)).isEqualTo(inode);
    }

    @Test
    void uploadCopiesALargeBinaryByteForByte() throws Exception {
        // Every byte value, in more than one SSH window (2 MiB) and many packets: nothing in the
        // stream (no tty, no shell) may alter binary content.
        byte[] content = new byte[5 * 1024 * 1024 + 123];
        new java.util.Random(42).nextBytes(content);
        Path local = Files.write(scratch.resolve("tool.bin"), content);
        String dest = scratch.resolve("bin/tool").toString();
        assertThat(root().upload(local, dest, 0755)).isEqualTo(UploadResult.UPLOADED);
        assertThat(Files.readAllBytes(Path.of(dest))).isEqualTo(content);
        assertThat(mode(root(), dest)).isEqualTo("755");
    }

    @Test
    void uploadOfAMissingLocalFileIsInvalidInputAndTouchesNothing() {
        Path missing = scratch.resolve("not-there.bin");
        String dest = scratch.resolve("untouched/tool").toString();
        assertThatThrownBy(() -> root().upload(missing, dest, 0644))
                .isInstanceOf(KkException.class)
                .hasMessageContaining(missing.toString())
                .satisfies(e -> assertThat(((KkException) e).kind()).isEqualTo(ErrorKind.INVALID_INPUT));
        assertThat(Files.exists(scratch.resolve("untouched"))).isFalse();
    }

    @Test
    void downloadCopiesTheRemoteFile() throws Exception {
        Path remoteFile = Files.write(scratch.resolve("remote.dat"), bytes(300_000));
        Path local = scratch.resolve("downloads/copy.dat");
        root().download(remoteFile.toString(), local);
        assertThat(Files.readAllBytes(local)).isEqualTo(Files.readAllBytes(remoteFile));
        try (Stream<Path> left = Files.list(local.getParent())) {
            assertThat(left.map(p -> p.getFileName().toString())).containsExactly("copy.dat");
        }
    }

    @Test
    void downloadOfAMissingFileSaysWhich() {
        String missing = scratch.resolve("nope").toString();
        assertThatThrownBy(() -> root().download(missing, scratch.resolve("x")))
                .isInstanceOf(KkException.class)
                .hasMessageContaining(missing);
    }

    @Test
    void sudoRunsAsRootAndTheCommandStillGetsItsStdin() {
        CommandResult r = sudoer().run(RemoteCommand.sudo("id -un; cat").withStdin("payload\n"));
        assertThat(r.exitCode()).as(r.stderr()).isZero();
        assertThat(r.stdout()).isEqualTo(sudoRunsAs() + "\npayload\n");
    }

    static byte[] bytes(int n) {
        byte[] b = new byte[n];
        for (int i = 0; i < n; i++) {
            b[i] = (byte) (i * 31 + 7);
        }
        return b;
    }

    static String mode(Remote r, String path) {
        return r.run(RemoteCommand.plain("stat -c %a " + path)).stdout().strip();
    }

    static String inode(Remote r, String path) {
        return r.run(RemoteCommand.plain("stat -c %i " + path)).stdout().strip();
    }

    static String utf8(byte[] b) {
        return new String(b, StandardCharsets.UTF_8);
    }
}
