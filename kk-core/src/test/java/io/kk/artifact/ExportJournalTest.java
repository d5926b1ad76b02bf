package io.kk.artifact;

import static org.assertj.core.api.Assertions.assertThat;

import java.nio.charset.StandardCharsets;
import java.nio.file.Files;
import java.nio.file.Path;
import java.nio.file.StandardOpenOption;
import java.util.List;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;

class ExportJournalTest {
    @TempDir
    Path tmp;

    final List<String> entries = List.of("kk/index.json", "kk/SHA256SUMS", "kube/a", "kube/b");

    @Test
    void recordsSurviveReopenAndAHalfWrittenLineIsDropped() throws Exception {
        Path j = tmp.resolve("out.kkjournal");
        try (ExportJournal journal = ExportJournal.open(j, "fp", entries)) {
            journal.recordDone(0, "kk/index.json", 100);
            journal.recordDone(1, "kk/SHA256SUMS", 200);
        }
        // A crash in the middle of writing the next line.
        Files.writeString(j, "done 2 30", StandardOpenOption.APPEND);

        try (ExportJournal journal = ExportJournal.open(j, "fp", entries)) {
            assertThat(journal.state()).isEqualTo(new ExportJournal.State(2, 200));
            journal.recordDone(2, "kube/a", 300);
        }
        assertThat(ExportJournal.peek(j, "fp", entries)).isEqualTo(new ExportJournal.State(3, 300));
        assertThat(Files.readString(j, StandardCharsets.UTF_8)).doesNotContain("done 2 30\n");
    }

    @Test
    void journalOfAnotherPlanOrOutOfOrderIsNotTrusted() throws Exception {
        Path j = tmp.resolve("out.kkjournal");
        try (ExportJournal journal = ExportJournal.open(j, "fp", entries)) {
            journal.recordDone(0, "kk/index.json", 100);
        }
        assertThat(ExportJournal.peek(j, "other", entries)).isEqualTo(ExportJournal.State.EMPTY);
        try (ExportJournal journal = ExportJournal.open(j, "other", entries)) {
            assertThat(journal.state()).isEqualTo(ExportJournal.State.EMPTY);
        }

        Files.writeString(
                j,
                "kk-export-journal 2 fp\n" + ExportJournal.line(0, 100, "kk/index.json")
                        + ExportJournal.line(2, 300, "kube/a"));
        assertThat(ExportJournal.peek(j, "fp", entries)).isEqualTo(new ExportJournal.State(1, 100));
        Files.writeString(j, "kk-export-journal 2 fp\n" + ExportJournal.line(0, 100, "kk/other.json"));
        assertThat(ExportJournal.peek(j, "fp", entries)).isEqualTo(ExportJournal.State.EMPTY);
        // a journal of kk's first format (no CRC) is another plan's: the export starts over
        Files.writeString(j, "kk-export-journal 1 fp\ndone 0 100 kk/index.json\n");
        assertThat(ExportJournal.peek(j, "fp", entries)).isEqualTo(ExportJournal.State.EMPTY);
    }

    @Test
    void aDamagedLineEndsTheJournalThereEvenWhenItStillParsesAsNumbers() throws Exception {
        Path j = tmp.resolve("out.kkjournal");
        try (ExportJournal journal = ExportJournal.open(j, "fp", entries)) {
            journal.recordDone(0, "kk/index.json", 100);
            journal.recordDone(1, "kk/SHA256SUMS", 200);
            journal.recordDone(2, "kube/a", 3000);
        }
        // one digit of the last length changed (3000 -> 2000): still a number, still >= 200; without
        // a check the output would be cut in the middle of kube/a and the next entry appended there
        String text = Files.readString(j);
        Files.writeString(j, text.replace("done 2 3000 ", "done 2 2000 "));
        assertThat(ExportJournal.peek(j, "fp", entries)).isEqualTo(new ExportJournal.State(2, 200));
        try (ExportJournal journal = ExportJournal.open(j, "fp", entries)) {
            assertThat(journal.state()).isEqualTo(new ExportJournal.State(2, 200));
            journal.recordDone(2, "kube/a", 3000);
        }
        assertThat(ExportJournal.peek(j, "fp", entries)).isEqualTo(new ExportJournal.State(3, 3000));
    }

    @Test
    void rewindForgetsEntriesBeyondWhatTheOutputStillHolds() throws Exception {
        Path j = tmp.resolve("out.kkjournal");
        try (ExportJournal journal = ExportJournal.open(j, "fp", entries)) {
            journal.recordDone(0, "kk/index.json", 100);
            journal.recordDone(1, "kk/SHA256SUMS", 200);
            journal.recordDone(2, "kube/a", 300);
            assertThat(journal.rewindTo(250)).isEqualTo(new ExportJournal.State(2, 200));
            journal.recordDone(2, "kube/a", 310);
        }
        assertThat(ExportJournal.peek(j, "fp", entries)).isEqualTo(new ExportJournal.State(3, 310));
        try (ExportJournal journal = ExportJournal.open(j, "fp", entries)) {
            assertThat(journal.rewindTo(50)).isEqualTo(ExportJournal.State.EMPTY);
        }
        assertThat(ExportJournal.peek(j, "fp", entries)).isEqualTo(ExportJournal.State.EMPTY);
        assertThat(Files.readString(j)).isEqualTo("kk-export-journal 2 fp\n");
    }
}
