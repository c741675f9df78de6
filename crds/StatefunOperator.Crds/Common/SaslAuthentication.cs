using System.ComponentModel;
using System.ComponentModel.DataAnnotations;
using System.Text.Json.Serialization;

namespace StatefunOperator.Crds.Common;

[Description("SASL authentication; the username and password are read from Secrets, never written inline.")]
public sealed class SaslAuthentication
{
    [JsonPropertyName("mechanism")]
    [AllowedValues("PLAIN", "SCRAM-SHA-256", "SCRAM-SHA-512")]
    [DefaultValue("PLAIN")]
    [Description("SASL mechanism.")]
    public string? Mechanism { get; set; }

    [JsonPropertyName("usernameSecret")]
    [Required]
    [Description("Secret key holding the SASL username.")]
    public SecretKeySelector UsernameSecret { get; set; } = new();

    [JsonPropertyName("passwordSecret")]
    [Required]
    [Description("Secret key holding the SASL password.")]
    public SecretKeySelector PasswordSecret { get; set; } = new();
}
