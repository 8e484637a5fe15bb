using RnnSearch.Shared.Tasks;
using System.Security.Cryptography;

namespace RnnSearch.TrainerNode.Tasks;

/// <summary>
/// The benchmark files with the sizes and sha256s listed in data/README.md (a test checks that this
/// table and the README agree). Every file is verified before it is read.
/// </summary>
public static class DataFiles
{
    public static readonly IReadOnlyDictionary<string, string> Sha256 = new Dictionary<string, string>
    {
        ["polyphonic/jsb_chorales.json.gz"] = "2e387cc86977fa84dac377edde64ea869b61ab99338aeaad42537acf112a3a98",
        ["polyphonic/nottingham.json.gz"] = "7699c7d300fd6b249d79f703e1aa77178ef1f3c956cf864cf4a03a442ec53e71",
        ["polyphonic/musedata.json.gz"] = "47bc2e3c676cfa40af0ef91d31b5cbdfb24e00c5c23e4407cf9e815021b997d0",
        ["polyphonic/piano_midi.json.gz"] = "75cd090bfcc92d9ca4f48ad101fd43020ed4cac2bff6d68a21548bb5d231aefa",
        ["ptb/ptb.train.txt"] = "fcea919f6cf83f35d4d00c6cbf08040d13d4155226340912e2fef9c9c4102cbf",
        ["ptb/ptb.valid.txt"] = "c9fe6985fe0d4ccb578183407d7668fc6066c20700cb4cf87d8ff1cc34df1bf2",
        ["ptb/ptb.test.txt"] = "dd65dff31e70846b2a6030a87482edcd5d199130cdcfa1f3dccbb033728deee0",
        ["ptb_char/ptb.char.train.txt"] = "e313d91425e06c4f0a8fb6e881dcce0c291f2a0e9f4dda54833069b122f91da9",
        ["ptb_char/ptb.char.valid.txt"] = "21661f63ec355085879458b6524644d4add5573541b4be14fb52ab2e2e995eb8",
        ["ptb_char/ptb.char.test.txt"] = "1ef5607ac3c463b16e38bfe7900dd3bfc91de5a96e0f21e7eab5188b465b8ebe",
    };

    /// <summary>Returns the verified full path of a data file, or throws a one-line <see cref="DataException"/>.</summary>
    public static string Verified(string dataDirectory, string relativePath)
    {
        var path = Path.Combine(dataDirectory, relativePath);
        if (!File.Exists(path))
            throw new DataException($"data file {relativePath} not found at {Path.GetFullPath(path)}; pass --data-dir with a folder laid out as data/README.md describes");
        if (!Sha256.TryGetValue(relativePath, out var expected))
            throw new DataException($"data file {relativePath} has no known sha256");
        string actual;
        using (var stream = File.OpenRead(path))
            actual = Convert.ToHexStringLower(SHA256.HashData(stream));
        if (actual != expected)
            throw new DataException($"data file {Path.GetFullPath(path)} has sha256 {actual}, expected {expected}: the file is modified or corrupt");
        return path;
    }
}
