using System.Text;
using Automation.Engine.Security;

namespace Automation.Engine.Tests.Security;

public sealed class SignatureTests
{
    private static readonly DateTimeOffset Now = new(2026, 11, 23, 9, 0, 0, TimeSpan.Zero);
    private static readonly byte[] Body = Encoding.UTF8.GetBytes("{\"id\":\"e1\"}");

    [Fact]
    public void A_signature_made_with_a_configured_secret_is_valid()
    {
        var header = Signature.Create("s3cret", Now, Body);

        Assert.Equal(SignatureCheck.Valid, Signature.Verify(header, ["s3cret"], Body, Now.AddSeconds(30)));
    }

    [Fact]
    public void Any_of_several_secrets_is_accepted_so_secrets_can_be_rotated()
    {
        var header = Signature.Create("new-secret", Now, Body);

        Assert.Equal(SignatureCheck.Valid, Signature.Verify(header, ["old-secret", "new-secret"], Body, Now));
    }

    [Fact]
    public void The_header_matches_the_documented_format()
    {
        var header = Signature.Create("key", DateTimeOffset.FromUnixTimeSeconds(1_700_000_000), Encoding.UTF8.GetBytes("body"));

        // HMAC-SHA256("key", "1700000000.body"), computed independently.
        Assert.Equal("t=1700000000,v1=" + Convert.ToHexStringLower(
            System.Security.Cryptography.HMACSHA256.HashData(Encoding.UTF8.GetBytes("key"), Encoding.UTF8.GetBytes("1700000000.body"))), header);
    }

    [Fact]
    public void A_changed_body_does_not_match()
    {
        var header = Signature.Create("s3cret", Now, Body);

        Assert.Equal(SignatureCheck.Mismatch, Signature.Verify(header, ["s3cret"], Encoding.UTF8.GetBytes("{\"id\":\"e2\"}"), Now));
    }

    [Fact]
    public void A_wrong_secret_does_not_match()
    {
        var header = Signature.Create("guess", Now, Body);

        Assert.Equal(SignatureCheck.Mismatch, Signature.Verify(header, ["s3cret"], Body, Now));
    }

    [Theory]
    [InlineData(-301)]
    [InlineData(301)]
    public void A_timestamp_more_than_five_minutes_away_is_stale(int seconds)
    {
        var header = Signature.Create("s3cret", Now.AddSeconds(seconds), Body);

        Assert.Equal(SignatureCheck.Stale, Signature.Verify(header, ["s3cret"], Body, Now));
    }

    [Theory]
    [InlineData(null, SignatureCheck.Missing)]
    [InlineData("", SignatureCheck.Missing)]
    [InlineData("v1=abcd", SignatureCheck.Malformed)]
    [InlineData("t=1700000000", SignatureCheck.Malformed)]
    [InlineData("t=abc,v1=abcd", SignatureCheck.Malformed)]
    [InlineData("t=1700000000,v1=not-hex", SignatureCheck.Malformed)]
    public void Missing_or_malformed_headers_are_refused(string? header, SignatureCheck expected)
    {
        Assert.Equal(expected, Signature.Verify(header, ["s3cret"], Body, Now));
    }

    [Fact]
    public void No_configured_secret_matches_nothing()
    {
        var header = Signature.Create(string.Empty, Now, Body);

        Assert.Equal(SignatureCheck.Mismatch, Signature.Verify(header, [], Body, Now));
        Assert.Equal(SignatureCheck.Mismatch, Signature.Verify(header, [string.Empty], Body, Now));
    }
}
