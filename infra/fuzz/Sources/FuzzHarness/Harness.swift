import Spectral
public enum FuzzHarness {
    public static func source(_ bytes: [UInt8]) {}
    public static func bytecode(_ bytes: [UInt8]) {}
    public static func differential(_ bytes: [UInt8]) {}
    public static func input(_ bytes: [UInt8]) {}
}
