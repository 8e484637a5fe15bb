using System.Net;
using System.Net.Http.Headers;
using RnnSearch.Coordinator.Web;

namespace RnnSearch.Coordinator.Tests;

public sealed class WebAccessTests : IAsyncLifetime
{
    private const string Token = "s3cret-token-for-tests";
    private readonly string _directory = SyntheticStudy.TemporaryDirectory();
    private StoredServer _protected = null!;
    private StoredServer _open = null!;

    public async Task InitializeAsync()
    {
        var db = Path.Combine(_directory, "store.db");
        var id = SyntheticStudy.Create(db);
        _protected = await StoredServer.StartAsync(db, id, new HttpToken(Token));
        _open = await StoredServer.StartAsync(db, id);
    }

    public async Task DisposeAsync()
    {
        await _protected.DisposeAsync();
        await _open.DisposeAsync();
        Directory.Delete(_directory, recursive: true);
    }

    private static HttpClient Client(bool cookies = false) =>
        new(new HttpClientHandler { AllowAutoRedirect = false, UseCookies = cookies, CookieContainer = new CookieContainer() });

    [Theory]
    [InlineData("/")]
    [InlineData("/app.js")]
    [InlineData("/api/study")]
    [InlineData("/api/leaderboard")]
    [InlineData("/api/trials/1/epochs")]
    public async Task Without_the_token_page_and_api_answer_401(string path)
    {
        using var client = Client();
        var response = await client.GetAsync(_protected.Url + path);
        Assert.Equal(HttpStatusCode.Unauthorized, response.StatusCode);
        Assert.Equal("Bearer", response.Headers.WwwAuthenticate.Single().Scheme);
        Assert.DoesNotContain(Token, await response.Content.ReadAsStringAsync());
    }

    [Fact]
    public async Task Bearer_token_opens_the_api_and_a_wrong_one_does_not()
    {
        using var client = Client();
        var right = new HttpRequestMessage(HttpMethod.Get, _protected.Url + "/api/study") { Headers = { Authorization = new AuthenticationHeaderValue("Bearer", Token) } };
        Assert.Equal(HttpStatusCode.OK, (await client.SendAsync(right)).StatusCode);
        var wrong = new HttpRequestMessage(HttpMethod.Get, _protected.Url + "/api/study") { Headers = { Authorization = new AuthenticationHeaderValue("Bearer", Token + "x") } };
        Assert.Equal(HttpStatusCode.Unauthorized, (await client.SendAsync(wrong)).StatusCode);
    }

    [Fact]
    public async Task Page_takes_the_token_once_keeps_a_cookie_and_drops_it_from_the_address()
    {
        using var client = Client(cookies: true);
        var first = await client.GetAsync(_protected.Url + "/?token=" + Uri.EscapeDataString(Token));
        Assert.Equal(HttpStatusCode.SeeOther, first.StatusCode);
        Assert.Equal("/", first.Headers.Location!.OriginalString);
        var cookie = first.Headers.GetValues("Set-Cookie").Single();
        Assert.Contains("httponly", cookie, StringComparison.OrdinalIgnoreCase);
        Assert.Contains("samesite=strict", cookie, StringComparison.OrdinalIgnoreCase);
        Assert.DoesNotContain(Token, cookie);

        // The cookie alone now opens the page and the API.
        var page = await client.GetAsync(_protected.Url + "/");
        Assert.Equal(HttpStatusCode.OK, page.StatusCode);
        Assert.Contains("<title>RnnSearch</title>", await page.Content.ReadAsStringAsync());
        Assert.Equal(HttpStatusCode.OK, (await client.GetAsync(_protected.Url + "/api/leaderboard")).StatusCode);

        using var stranger = Client();
        Assert.Equal(HttpStatusCode.Unauthorized, (await stranger.GetAsync(_protected.Url + "/?token=wrong")).StatusCode);
    }

    [Theory]
    [InlineData("POST", "/api/study")]
    [InlineData("PUT", "/api/leaderboard")]
    [InlineData("DELETE", "/api/trials")]
    [InlineData("PATCH", "/")]
    [InlineData("POST", "/no-such-path")]
    public async Task Anything_but_get_is_405(string method, string path)
    {
        using var client = Client();
        var response = await client.SendAsync(new HttpRequestMessage(new HttpMethod(method), _open.Url + path) { Content = new StringContent("{}") });
        Assert.Equal(HttpStatusCode.MethodNotAllowed, response.StatusCode);
        Assert.Equal("GET", string.Join(",", response.Content.Headers.Allow));

        var authorized = new HttpRequestMessage(new HttpMethod(method), _protected.Url + path) { Headers = { Authorization = new AuthenticationHeaderValue("Bearer", Token) } };
        Assert.Equal(HttpStatusCode.MethodNotAllowed, (await client.SendAsync(authorized)).StatusCode);
    }

    [Fact]
    public async Task Without_a_token_configured_the_ui_is_open_and_sends_a_strict_content_policy()
    {
        using var client = Client();
        var response = await client.GetAsync(_open.Url + "/");
        Assert.Equal(HttpStatusCode.OK, response.StatusCode);
        var policy = response.Headers.GetValues("Content-Security-Policy").Single();
        Assert.Contains("default-src 'none'", policy);
        Assert.Contains("script-src 'self'", policy);
        Assert.Equal("nosniff", response.Headers.GetValues("X-Content-Type-Options").Single());
    }

    [Fact]
    public void Token_never_prints_itself()
    {
        var token = new HttpToken(Token);
        var options = new Hosting.CoordinatorOptions { Study = "quick", HttpToken = token };
        Assert.DoesNotContain(Token, token.ToString());
        Assert.DoesNotContain(Token, options.ToString());
        Assert.True(token.Matches(Token));
        Assert.False(token.Matches(Token[..^1]));
        Assert.Throws<ArgumentException>(() => HttpToken.Resolve(" "));
    }

    [Theory]
    [InlineData("127.0.0.1:5080", true)]
    [InlineData("127.3.2.1:80", true)]
    [InlineData("localhost:5080", true)]
    [InlineData("[::1]:5080", true)]
    [InlineData("0.0.0.0:5080", false)]
    [InlineData("192.168.1.20:5080", false)]
    [InlineData("[::]:5080", false)]
    public void Loopback_addresses_are_recognised(string address, bool loopback) => Assert.Equal(loopback, WebAccess.IsLoopback(address));
}
