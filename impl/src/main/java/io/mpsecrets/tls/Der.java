package io.mpsecrets.tls;

import java.io.ByteArrayOutputStream;
import java.util.Arrays;

/**
 * The little DER this package needs to hand the JDK a private key in OpenSSL's traditional forms. The JDK's
 * {@code KeyFactory} takes PKCS#8 only, and PKCS#1 ({@code RSA PRIVATE KEY}) and SEC1 ({@code EC PRIVATE KEY}) keys are
 * the same key with a different wrapper: PKCS#8 is {@code SEQUENCE { INTEGER 0, AlgorithmIdentifier, OCTET STRING
 * <the traditional key> }} (RFC 5208, RFC 5915 section 3). So the key is wrapped, not converted: no crypto here, and
 * the JDK parses and checks the key itself. Reads are bounded by the input: a length past the end is refused.
 */
final class Der {

    static final int SEQUENCE = 0x30;
    static final int INTEGER = 0x02;
    static final int OCTET_STRING = 0x04;
    static final int NULL = 0x05;
    static final int OID = 0x06;

    /** rsaEncryption, 1.2.840.113549.1.1.1 */
    private static final byte[] RSA_ENCRYPTION = {
        0x2a, (byte) 0x86, 0x48, (byte) 0x86, (byte) 0xf7, 0x0d, 0x01, 0x01, 0x01
    };

    /** id-ecPublicKey, 1.2.840.10045.2.1 */
    private static final byte[] EC_PUBLIC_KEY = {0x2a, (byte) 0x86, 0x48, (byte) 0xce, 0x3d, 0x02, 0x01};

    private Der() {}

    /** One element: its tag and where its contents lie in the input. */
    record Element(int tag, int start, int end) {}

    /** The element at {@code offset} in {@code der}, within {@code limit}. */
    static Element read(byte[] der, int offset, int limit) {
        if (offset + 2 > limit) {
            throw new IllegalArgumentException("truncated DER");
        }
        int tag = der[offset] & 0xff;
        int first = der[offset + 1] & 0xff;
        int position = offset + 2;
        long length;
        if (first < 0x80) {
            length = first;
        } else {
            int count = first & 0x7f;
            if (count == 0 || count > 3 || position + count > limit) {
                throw new IllegalArgumentException("DER length out of range");
            }
            length = 0;
            for (int i = 0; i < count; i++) {
                length = (length << 8) | (der[position++] & 0xff);
            }
        }
        if (position + length > limit) {
            throw new IllegalArgumentException("DER length past the end");
        }
        return new Element(tag, position, (int) (position + length));
    }

    /** PKCS#1 RSAPrivateKey as a PKCS#8 PrivateKeyInfo (RFC 8017 appendix A.1.2, RFC 5208). */
    static byte[] pkcs8FromPkcs1(byte[] pkcs1) {
        Element outer = read(pkcs1, 0, pkcs1.length);
        if (outer.tag() != SEQUENCE || outer.end() != pkcs1.length) {
            throw new IllegalArgumentException("not a PKCS#1 RSA private key");
        }
        byte[] algorithm = tlv(SEQUENCE, concat(tlv(OID, RSA_ENCRYPTION), new byte[] {NULL, 0}));
        return tlv(SEQUENCE, concat(new byte[] {INTEGER, 1, 0}, algorithm, tlv(OCTET_STRING, pkcs1)));
    }

    /**
     * SEC1 ECPrivateKey as PKCS#8 (RFC 5915): the curve moves from the key's {@code [0] parameters} into the
     * AlgorithmIdentifier, where PKCS#8 keeps it; the SEC1 structure itself is the private key octets, as is.
     */
    static byte[] pkcs8FromSec1(byte[] sec1, byte[] curveHint) {
        Element outer = read(sec1, 0, sec1.length);
        if (outer.tag() != SEQUENCE || outer.end() != sec1.length) {
            throw new IllegalArgumentException("not a SEC1 EC private key");
        }
        byte[] curve = null;
        int position = outer.start();
        while (position < outer.end()) {
            Element element = read(sec1, position, outer.end());
            if (element.tag() == 0xa0) { // [0] ECParameters: the named curve
                Element oid = read(sec1, element.start(), element.end());
                if (oid.tag() != OID) {
                    throw new IllegalArgumentException("SEC1 key with explicit curve parameters");
                }
                curve = Arrays.copyOfRange(sec1, oid.start(), oid.end());
            }
            position = element.end();
        }
        if (curve == null) {
            curve = curveHint; // RFC 5915 makes the curve optional in the key: the certificate's is the key's
        }
        if (curve == null) {
            throw new IllegalArgumentException("SEC1 key without its curve");
        }
        byte[] algorithm = tlv(SEQUENCE, concat(tlv(OID, EC_PUBLIC_KEY), tlv(OID, curve)));
        return tlv(SEQUENCE, concat(new byte[] {INTEGER, 1, 0}, algorithm, tlv(OCTET_STRING, sec1)));
    }

    /**
     * The named curve of an EC SubjectPublicKeyInfo ({@code SEQUENCE { SEQUENCE { id-ecPublicKey, curve },
     * BIT STRING }}), or null when it is not one.
     */
    static byte[] curveOf(byte[] spki) {
        try {
            Element outer = read(spki, 0, spki.length);
            Element algorithm = read(spki, outer.start(), outer.end());
            Element oid = read(spki, algorithm.start(), algorithm.end());
            if (oid.tag() != OID
                    || !Arrays.equals(Arrays.copyOfRange(spki, oid.start(), oid.end()), EC_PUBLIC_KEY)
                    || oid.end() >= algorithm.end()) {
                return null;
            }
            Element curve = read(spki, oid.end(), algorithm.end());
            return curve.tag() == OID ? Arrays.copyOfRange(spki, curve.start(), curve.end()) : null;
        } catch (IllegalArgumentException e) {
            return null;
        }
    }

    static byte[] tlv(int tag, byte[] contents) {
        ByteArrayOutputStream out = new ByteArrayOutputStream(contents.length + 6);
        out.write(tag);
        int length = contents.length;
        if (length < 0x80) {
            out.write(length);
        } else if (length < 0x100) {
            out.write(0x81);
            out.write(length);
        } else if (length < 0x10000) {
            out.write(0x82);
            out.write(length >> 8);
            out.write(length);
        } else {
            out.write(0x83);
            out.write(length >> 16);
            out.write(length >> 8);
            out.write(length);
        }
        out.writeBytes(contents);
        return out.toByteArray();
    }

    private static byte[] concat(byte[]... parts) {
        ByteArrayOutputStream out = new ByteArrayOutputStream();
        for (byte[] part : parts) {
            out.writeBytes(part);
        }
        return out.toByteArray();
    }
}
