namespace StatefunOperator.Testing;

/// <summary>The repository checkout the tests run from (the directory holding StatefunOperator.sln), found from the test assembly's location.</summary>
public static class RepositoryRoot
{
    public static string Path { get; } = Find();

    public static string Combine(params string[] parts) => System.IO.Path.Combine([Path, .. parts]);

    private static string Find()
    {
        var directory = new DirectoryInfo(AppContext.BaseDirectory);
        while (directory is not null && !File.Exists(System.IO.Path.Combine(directory.FullName, "StatefunOperator.sln")))
        {
            directory = directory.Parent;
        }

        return directory?.FullName
            ?? throw new InvalidOperationException($"No StatefunOperator.sln above {AppContext.BaseDirectory}; run the tests from the repository.");
    }
}
