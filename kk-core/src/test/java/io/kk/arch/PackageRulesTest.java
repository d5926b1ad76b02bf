package io.kk.arch;

import static com.tngtech.archunit.lang.syntax.ArchRuleDefinition.noClasses;
import static com.tngtech.archunit.library.dependencies.SlicesRuleDefinition.slices;

import com.tngtech.archunit.core.domain.JavaClasses;
import com.tngtech.archunit.core.importer.ClassFileImporter;
import com.tngtech.archunit.core.importer.ImportOption;
import org.junit.jupiter.api.BeforeAll;
import org.junit.jupiter.api.Test;

/** The rules of STYLE.md that a reviewer should not have to check by eye. */
class PackageRulesTest {
    private static JavaClasses core;

    @BeforeAll
    static void importCore() {
        core = new ClassFileImporter()
                .withImportOption(ImportOption.Predefined.DO_NOT_INCLUDE_TESTS)
                .importPackages("io.kk");
    }

    @Test
    void coreNeverExits() {
        noClasses()
                .should()
                .callMethod(System.class, "exit", int.class)
                .orShould()
                .callMethod(Runtime.class, "halt", int.class)
                .because("the core reports failures as KkException; only the CLI decides the exit code")
                .check(core);
    }

    @Test
    void coreNeverPrints() {
        noClasses()
                .should()
                .accessField(System.class, "out")
                .orShould()
                .accessField(System.class, "err")
                .orShould()
                .callMethod(Throwable.class, "printStackTrace")
                .because("the core is silent: progress and results are events")
                .check(core);
    }

    @Test
    void coreKnowsNoCommandLineLibrary() {
        noClasses()
                .should()
                .dependOnClassesThat()
                .resideInAPackage("picocli..")
                .orShould()
                .dependOnClassesThat()
                .resideInAPackage("me.tongfei..")
                .check(core);
    }

    @Test
    void onlyHostSshTalksToMinaSshd() {
        noClasses()
                .that()
                .resideOutsideOfPackage("io.kk.host.ssh..")
                .should()
                .dependOnClassesThat()
                .resideInAPackage("org.apache.sshd..")
                .because("the SSH library stays behind the Remote interface")
                .check(core);
    }

    @Test
    void topLevelPackagesFormNoCycles() {
        slices().matching("io.kk.(*)..").should().beFreeOfCycles().check(core);
    }
}
