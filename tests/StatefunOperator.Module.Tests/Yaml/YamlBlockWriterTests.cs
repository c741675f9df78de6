using StatefunOperator.Module.Yaml;

namespace StatefunOperator.Module.Tests.Yaml;

/// <summary>
/// The block writer writes exactly what YamlDotNet writes (the config hash of every deployed module depends on the
/// bytes), or declines and leaves the document to YamlDotNet.
/// </summary>
public class YamlBlockWriterTests
{
    private static readonly string[] Tricky =
    [
        "abc", "6000", "", " a", "a ", "true", "True", "TRUE", "false", "yes", "no", "on", "off", "y", "n", "null", "Null",
        "NULL", "nULL", "~", "1.5", "1e3", "1E+3", "1e-3", ".5", "-1", "+1", "0x1F", "0xg", "0o17", "0o8", "017", ".inf",
        "-.Inf", "+.INF", ".nan", ".NaN", "NaN", "inf", "1_000", "a: b", "a:b", "a #b", "a#b", "#a", "-a", "- a", "-", "?a",
        "? a", ":a", "[a", "a]", "{a", "a,b", "&a", "*a", "!a", "|a", ">a", "'a", "\"a", "%a", "@a", "`a", "a'b", "a\"b",
        "a\nb", "a\tb", "\u00e9", "a\\b", "http://x:1/y", "127.0.0.1:9092", "a:9092,b:9092", "example/*", "2024-01-01",
        "2024-01-01T00:00:00.000Z", "1:20", "12:30:00", "0", "00", "1.", "1.e5", "---", "...", "a...", "=", "<<", "a b",
        "PT10S", "10s", "\u0001", "\u00a0", "x:", "x: ", "SASL_SSL", "read_committed", "6000ms", "1,000", "-.5", "+.5",
        "1e", "e1", "0b101", "0x", "0o", "+", ".", "-.", "1e+", "statefun.example.greeter.inbox", "com.example/User",
        "session.timeout.ms", "users/0", "http://greeter.default.svc:8000/statefun", new string('x', 200),
        string.Join(' ', Enumerable.Repeat("word", 40)),
    ];

    [Fact]
    public void EveryStringItWrites_AsValueKeyOrListItem_IsWhatYamlDotNetWrites()
    {
        var strings = Tricky.Concat(RandomStrings(5_000)).ToList();
        var written = 0;
        foreach (var text in strings)
        {
            written += Compare(new YamlMapping { ["key"] = text });
            written += Compare(new YamlMapping { [text] = "value" });
            written += Compare(new YamlMapping { ["spec"] = new YamlMapping { ["list"] = new List<string> { text, "x" } } });
            written += Compare(new YamlMapping { ["spec"] = new List<YamlMapping> { new() { [text] = text } } });
        }

        Assert.True(written > 5_000, $"the block writer wrote only {written} of {strings.Count * 4} documents: too few to compare");
    }

    [Theory]
    [InlineData("statefun.example.greeter.inbox")]
    [InlineData("kafka-0.kafka.svc:9092,kafka-1.kafka.svc:9092")]
    [InlineData("com.example/*")]
    [InlineData("http://greeter.default.svc.cluster.local:8000/statefun")]
    [InlineData("read_committed")]
    [InlineData("SASL_SSL")]
    [InlineData("/var/run/secrets/kafka/ca.crt")]
    [InlineData("2026-11-26T10:00:00.000+01:00")]
    [InlineData("500")]
    [InlineData("1m")]
    public void WhatModulesAreMadeOf_IsWrittenByTheBlockWriter(string text) =>
        Assert.NotNull(YamlBlockWriter.TryWrite(new YamlMapping { ["key"] = text }));

    [Fact]
    public void NestedMappingsListsNumbersAndBooleans_AreWrittenAsYamlDotNetWritesThem()
    {
        var document = new YamlMapping
        {
            ["kind"] = "io.statefun.kafka.v1/ingress",
            ["spec"] = new YamlMapping
            {
                ["id"] = "shop/users",
                ["count"] = 5L,
                ["negative"] = -3L,
                ["enabled"] = true,
                ["disabled"] = false,
                ["empty"] = new YamlMapping(),
                ["none"] = new List<string>(),
                ["topics"] = new List<YamlMapping>
                {
                    new() { ["topic"] = "users", ["targets"] = new List<string> { "a/b", "c/d" }, ["deep"] = new YamlMapping { ["x"] = new YamlMapping { ["y"] = "z" } } },
                    new(),
                    new() { ["only"] = new List<YamlMapping> { new() { ["p"] = 1L, ["q"] = "r" } } },
                },
                ["properties"] = new List<YamlMapping> { new() { ["max.poll.records"] = "500" }, new() { ["0"] = 91L } },
            },
        };

        var block = YamlBlockWriter.TryWrite(document);

        Assert.Equal(ModuleYamlWriter.WriteWithYamlDotNet(document), block);
    }

    [Fact]
    public void ItDeclines_WhatItCannotBeSureOf()
    {
        Assert.Null(YamlBlockWriter.TryWrite(new YamlMapping { ["a"] = null }));
        Assert.Null(YamlBlockWriter.TryWrite(new YamlMapping { ["a"] = 1.5 }));
        Assert.Null(YamlBlockWriter.TryWrite(new YamlMapping { ["a"] = 7 }));
        Assert.Null(YamlBlockWriter.TryWrite(new YamlMapping { ["a"] = new List<object> { new List<string> { "x" } } }));
        Assert.Null(YamlBlockWriter.TryWrite(new YamlMapping { ["a"] = "two words" }));
        Assert.Null(YamlBlockWriter.TryWrite(new YamlMapping { ["a"] = new YamlMapping { ["b"] = "x\ny" } }));
    }

    private static int Compare(YamlMapping document)
    {
        if (YamlBlockWriter.TryWrite(document) is not { } block)
        {
            return 0;
        }

        Assert.Equal(ModuleYamlWriter.WriteWithYamlDotNet(document), block);
        return 1;
    }

    /// <summary>Short strings over an alphabet rich in what YAML treats specially, seeded (the same every run).</summary>
    private static IEnumerable<string> RandomStrings(int count)
    {
        const string alphabet = "aeEoxXnNultrfTF019_-+.:#,/[]{}?!&*|>'\"%@` ~\\=<";
        var random = new Random(20261126);
        for (var i = 0; i < count; i++)
        {
            var length = random.Next(1, 9);
            yield return string.Create(length, random, (span, r) =>
            {
                for (var j = 0; j < span.Length; j++)
                {
                    span[j] = alphabet[r.Next(alphabet.Length)];
                }
            });
        }
    }
}
