using System.Security.Cryptography;
using System.Text;

namespace StatefunOperator.Operator.Desired;

public static class ConfigHash
{
    /// <summary>A short, stable hash of the rendered module configuration; a change rolls the pods.</summary>
    public static string Of(string moduleYaml) =>
        Convert.ToHexStringLower(SHA256.HashData(Encoding.UTF8.GetBytes(moduleYaml)))[..16];
}
