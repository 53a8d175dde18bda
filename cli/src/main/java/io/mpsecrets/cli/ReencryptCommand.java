package io.mpsecrets.cli;

import io.mpsecrets.api.EncryptionContext;
import io.mpsecrets.api.KeyManagementService;
import io.mpsecrets.api.SecretRef;
import io.mpsecrets.api.exception.MalformedValueException;
import io.mpsecrets.api.exception.SecretException;
import io.mpsecrets.backend.KmsRegistry;
import io.mpsecrets.envelope.DataKeyCache;
import io.mpsecrets.envelope.EncryptedValue;
import io.mpsecrets.envelope.EnvelopeDecryptor;
import io.mpsecrets.envelope.EnvelopeEncryptor;
import io.mpsecrets.envelope.legacy.JasyptDecryptor;
import io.mpsecrets.envelope.legacy.SmallRyeAesGcmDecryptor;
import io.mpsecrets.runtime.MpSecretsSettings;
import io.mpsecrets.support.AtomicFiles;
import java.io.IOException;
import java.nio.charset.StandardCharsets;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.Arrays;
import java.util.concurrent.Callable;
import java.util.regex.Matcher;
import java.util.regex.Pattern;
import picocli.CommandLine.Command;
import picocli.CommandLine.Mixin;
import picocli.CommandLine.Option;
import picocli.CommandLine.Parameters;
import picocli.CommandLine.ParentCommand;

@Command(
        name = "reencrypt",
        mixinStandardHelpOptions = true,
        description = {
            "Re-encrypt every ENC(...) value of a properties file under the newest key version (or another key),",
            "keeping comments, order and other lines; also converts jasypt ENC(...) and SmallRye "
                    + "$${aes-gcm-nopadding::...}",
            "values. The file is replaced atomically; on any error it is left untouched."
        })
final class ReencryptCommand implements Callable<Integer> {

    private static final Pattern SMALLRYE = Pattern.compile("\\$\\{" + SmallRyeAesGcmDecryptor.HANDLER + "::([^}]*)}");
    private static final String SMALLRYE_KEY = "smallrye.config.secret-handler.aes-gcm-nopadding.encryption-key";
    private static final String SMALLRYE_KEY_DECODE =
            "smallrye.config.secret-handler.aes-gcm-nopadding.encryption-key-decode";
    static final int PROGRESS_EVERY = 500;

    @ParentCommand
    MpSecretsCommand parent;

    @Parameters(index = "0", paramLabel = "FILE", description = "The properties file to rewrite.")
    Path file;

    @Mixin
    KmsOptions kms;

    @Option(
            names = "--app",
            paramLabel = "NAME",
            defaultValue = MpSecretsSettings.DEFAULT_APPLICATION,
            description = "Application (worker) name, as mpsecrets.app (default: ${DEFAULT-VALUE}).")
    String app;

    @Option(
            names = "--jasypt-password-env",
            paramLabel = "VAR",
            description = "Convert jasypt values, with the password in this environment variable.")
    String jasyptPasswordEnv;

    @Option(
            names = "--jasypt-password-stdin",
            description = "Convert jasypt values, with the password on standard input.")
    boolean jasyptPasswordStdin;

    @Option(
            names = "--jasypt-algorithm",
            paramLabel = "ALG",
            defaultValue = JasyptDecryptor.AES_256,
            description = "The jasypt algorithm: PBEWITHHMACSHA512ANDAES_256 (default) or PBEWithMD5AndDES.")
    String jasyptAlgorithm;

    @Option(
            names = "--jasypt-iterations",
            paramLabel = "N",
            defaultValue = "1000",
            description = "jasypt key obtention iterations (default 1000).")
    int jasyptIterations;

    @Option(
            names = "--smallrye-key-env",
            paramLabel = "VAR",
            description = "Convert SmallRye aes-gcm-nopadding values, with the encryption key in this environment "
                    + "variable (default: the file's "
                    + SMALLRYE_KEY + ").")
    String smallryeKeyEnv;

    @Option(
            names = "--smallrye-key-decode",
            description = "The SmallRye encryption key is base64url (encryption-key-decode=true).")
    boolean smallryeKeyDecode;

    @Option(names = "--dry-run", description = "Check that every value can be converted; write nothing.")
    boolean dryRun;

    @Override
    public Integer call() throws IOException {
        if (!Files.isRegularFile(file)) {
            throw new MpSecretsCommand.UsageException("no such file: " + file);
        }
        String keyId = kms.keyIdForNewKeys();
        PropertiesFile properties = read(file);
        JasyptDecryptor jasypt = jasypt();
        SmallRyeAesGcmDecryptor smallrye = smallrye(properties);
        EncryptionContext context = EncryptionContext.forApplication(app);
        int total = (int) properties.lines().stream()
                .filter(l -> l.isEntry() && convertible(l.value()))
                .count();
        int changed = 0;
        try (KmsRegistry readers = kms.readers(parent.io().env());
                DataKeyCache dataKeys = new DataKeyCache(100);
                KeyManagementService target = kms.open(parent.io().env());
                EnvelopeEncryptor encryptor = new EnvelopeEncryptor(target, keyId, context)) {
            EnvelopeDecryptor decryptor = new EnvelopeDecryptor(readers, dataKeys, context);
            for (int i = 0; i < properties.lines().size(); i++) {
                PropertiesFile.Line line = properties.lines().get(i);
                if (!line.isEntry() || !convertible(line.value())) {
                    continue;
                }
                String property = boundName(line.key());
                try {
                    properties.replaceValue(
                            i, convert(line.value().trim(), property, decryptor, jasypt, smallrye, encryptor));
                } catch (SecretException e) {
                    throw new MpSecretsCommand.InputException(e.getMessage().replaceFirst("^mp-secrets: ", "") + " ("
                            + file + " line " + line.lineNumber() + "); the file was not changed");
                }
                changed++;
                if (total > PROGRESS_EVERY && changed % PROGRESS_EVERY == 0) {
                    parent.io().err().println("mpsecrets: reencrypt: " + changed + "/" + total + " values");
                }
            }
            if (changed > 0 && !dryRun) {
                try {
                    writeAtomically(file, properties.render());
                } catch (IOException e) {
                    throw new MpSecretsCommand.InputException(
                            "cannot write " + file + ": " + why(e) + "; the file was not changed");
                }
            }
            parent.io()
                    .out()
                    .println(changed + " value(s) re-encrypted under " + encryptor.resolvedKeyId()
                            + (dryRun ? " (dry run: " + file + " not changed)" : " in " + file));
        }
        if (smallrye != null
                && changed > 0
                && properties.lines().stream().anyMatch(l -> SMALLRYE_KEY.equals(l.key()))) {
            parent.io()
                    .err()
                    .println("mpsecrets: reencrypt: the values no longer need " + SMALLRYE_KEY + "; remove it from "
                            + file);
        }
        return MpSecretsCommand.OK;
    }

    private boolean convertible(String value) {
        String trimmed = value.trim();
        return EncryptedValue.isEncryptedForm(trimmed)
                || SMALLRYE.matcher(trimmed).matches();
    }

    private String convert(
            String value,
            String property,
            EnvelopeDecryptor decryptor,
            JasyptDecryptor jasypt,
            SmallRyeAesGcmDecryptor smallrye,
            EnvelopeEncryptor encryptor) {
        SecretRef ref = SecretRef.property(property);
        byte[] plaintext;
        boolean bound = true;
        Matcher smallryeValue = SMALLRYE.matcher(value);
        if (smallryeValue.matches()) {
            if (smallrye == null) {
                throw new MalformedValueException(
                        ref,
                        "a SmallRye aes-gcm-nopadding value: give its key (--smallrye-key-env, or " + SMALLRYE_KEY
                                + " in the file)");
            }
            plaintext = smallrye.decrypt(smallryeValue.group(1), ref);
        } else {
            EncryptedValue parsed;
            try {
                parsed = EncryptedValue.parse(value, ref);
            } catch (MalformedValueException notOurs) {
                if (jasypt == null) {
                    throw new MalformedValueException(
                            ref,
                            "not an mp-secrets value; if it is jasypt's, give its password "
                                    + "(--jasypt-password-env or --jasypt-password-stdin)");
                }
                parsed = null;
            }
            if (parsed != null) {
                plaintext = decryptor.decrypt(property, parsed);
                bound = parsed.bound();
            } else {
                plaintext = jasypt.decrypt(value.substring(4, value.length() - 1), ref);
            }
        }
        try {
            // Values from other formats were not bound to a name; they become bound to theirs.
            return encryptor.encrypt(plaintext, bound ? property : null);
        } finally {
            Arrays.fill(plaintext, (byte) 0);
        }
    }

    /**
     * The name a value is bound to: the key without a profile ({@code %prod.db.password} is read as {@code
     * db.password}).
     */
    static String boundName(String key) {
        if (key.startsWith("%")) {
            int dot = key.indexOf('.');
            if (dot > 0) {
                return key.substring(dot + 1);
            }
        }
        return key;
    }

    private JasyptDecryptor jasypt() {
        char[] password = null;
        if (jasyptPasswordEnv != null) {
            String fromEnv = parent.io().env().get(jasyptPasswordEnv);
            if (fromEnv == null || fromEnv.isEmpty()) {
                throw new MpSecretsCommand.UsageException("environment variable " + jasyptPasswordEnv + " is not set");
            }
            password = fromEnv.toCharArray();
        } else if (jasyptPasswordStdin) {
            byte[] bytes = StandardInput.readSecret(parent.io().in(), false, "jasypt password (not echoed): ");
            password = new String(bytes, StandardCharsets.UTF_8).toCharArray();
            Arrays.fill(bytes, (byte) 0);
        }
        if (password == null) {
            return null;
        }
        try {
            return new JasyptDecryptor(jasyptAlgorithm, password, jasyptIterations);
        } finally {
            Arrays.fill(password, '\0');
        }
    }

    private SmallRyeAesGcmDecryptor smallrye(PropertiesFile properties) {
        String key = null;
        boolean decode = smallryeKeyDecode;
        if (smallryeKeyEnv != null) {
            key = parent.io().env().get(smallryeKeyEnv);
            if (key == null || key.isEmpty()) {
                throw new MpSecretsCommand.UsageException("environment variable " + smallryeKeyEnv + " is not set");
            }
        } else {
            for (PropertiesFile.Line line : properties.lines()) {
                if (SMALLRYE_KEY.equals(line.key())) {
                    key = line.value();
                } else if (SMALLRYE_KEY_DECODE.equals(line.key())) {
                    decode |= Boolean.parseBoolean(line.value().trim());
                }
            }
        }
        return key == null ? null : new SmallRyeAesGcmDecryptor(key, decode);
    }

    /** The file as lines; a file that cannot be read, or is not UTF-8, is an error naming it (and the line). */
    private static PropertiesFile read(Path file) {
        try {
            return PropertiesFile.read(file);
        } catch (PropertiesFile.NotUtf8Exception e) {
            throw new MpSecretsCommand.InputException(file + " line " + e.line()
                    + " is not UTF-8 (save the file as UTF-8, as MicroProfile Config reads it); the file was not"
                    + " changed");
        } catch (IOException e) {
            throw new MpSecretsCommand.InputException("cannot read " + file + ": " + why(e));
        }
    }

    /**
     * What an I/O failure was, in words: the system's reason ({@code Read-only file system}, {@code File name too
     * long}) or the kind of failure; never the exception's message, which names temporary files.
     */
    static String why(IOException e) {
        if (e instanceof java.nio.file.AccessDeniedException) {
            return "permission denied";
        }
        if (e instanceof java.nio.file.NoSuchFileException) {
            return "no such file or directory";
        }
        if (e instanceof java.nio.file.FileSystemException fs && fs.getReason() != null) {
            return fs.getReason();
        }
        return e.getClass().getSimpleName();
    }

    /** Replaces the file atomically (through a symbolic link, keeping its permissions). */
    static void writeAtomically(Path file, String content) throws IOException {
        AtomicFiles.write(file, content.getBytes(StandardCharsets.UTF_8), null, true);
    }
}
