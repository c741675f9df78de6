using StatefunOperator.Module.Validation;
using StatefunOperator.Module.Yaml;

namespace StatefunOperator.Runtime.Configuration;

/// <summary>
/// Loads a StateFun module YAML file for the runtime: the module model reads it
/// (<see cref="ModuleYamlReader"/>: both the <c>kind:</c> and the older <c>module:</c> form) and validates it
/// (<see cref="ModuleValidator"/>, the same validation the operator applies to custom resources); all problems
/// are reported together, each naming the component, the field and the value. A valid module is then mapped
/// to the runtime's types.
/// </summary>
public static class ModuleYamlLoader
{
    public static ModuleConfiguration LoadFile(string path, Func<string, string?>? environment = null)
    {
        string text;
        try
        {
            text = File.ReadAllText(path);
        }
        catch (Exception e) when (e is IOException or UnauthorizedAccessException)
        {
            throw new ModuleConfigurationException($"module file '{path}': {e.Message}");
        }

        return Load(text, environment);
    }

    public static ModuleConfiguration Load(string yaml, Func<string, string?>? environment = null)
    {
        var read = ModuleYamlReader.Read(yaml, environment);
        var problems = read.Problems.Concat(ModuleValidator.Validate(read.Module)).ToList();
        if (problems.Count > 0)
        {
            throw new ModuleConfigurationException(problems);
        }

        return ModuleMapper.ToConfiguration(read.Module, read.Notices.Concat(ModuleValidator.Notices(read.Module)).ToList());
    }
}
