namespace StatefunOperator.MockBroker;

/// <summary>
/// Says a local broker is ready: prints "kind: ..." and "bootstrap: ..." and then writes the bootstrap file
/// (<c>scripts/kafka-local.sh</c> waits for that file; the tests read the printed lines).
/// </summary>
internal static class BrokerAnnouncement
{
    public static void Write(string? bootstrapFile, string bootstrapServers, string kind)
    {
        Console.WriteLine("kind: " + kind);
        Console.WriteLine("bootstrap: " + bootstrapServers);
        Console.Out.Flush();
        if (bootstrapFile is not null)
        {
            Directory.CreateDirectory(Path.GetDirectoryName(Path.GetFullPath(bootstrapFile))!);
            File.WriteAllText(bootstrapFile, bootstrapServers + Environment.NewLine);
        }
    }
}
