using System.Net;
using System.Net.Http.Headers;
using System.Net.Http.Json;
using System.Text;
using Tessera.Contracts;

namespace Tessera.Node.Tests;

/// <summary>The accounts API, run once per database (see <see cref="SqliteAccountsTests"/> and <see cref="PostgresAccountsTests"/>).</summary>
public abstract class AccountsTests
{
    private readonly NodeFactory _node;

    protected AccountsTests(NodeFactory node) => _node = node;

    [Fact]
    public async Task Health_Anonymous_ReportsNameAndOk()
    {
        var health = await _node.CreateClient().GetFromJsonAsync<HealthResponse>(ApiRoutes.Health, NodeFactory.Json);
        Assert.Equal(new HealthResponse("ok", "test-hospital"), health);
    }

    [Fact]
    public async Task Login_Owner_ReturnsTokenAndRole()
    {
        var client = await _node.LoginAsync();
        var me = await client.GetFromJsonAsync<UserInfo>(ApiRoutes.Me, NodeFactory.Json);
        Assert.Equal(Role.Owner, me!.Role);
        Assert.Equal(32, me.Id.Length);
    }

    [Theory]
    [InlineData(NodeFactory.OwnerEmail, "wrong password!!")]
    [InlineData("nobody@hospital.example", NodeFactory.OwnerPassword)]
    public async Task Login_WrongCredentials_Answer401Alike(string email, string password)
    {
        var response = await _node.CreateClient().PostAsJsonAsync(ApiRoutes.Login, new LoginRequest(email, password), NodeFactory.Json);
        Assert.Equal(HttpStatusCode.Unauthorized, response.StatusCode);
        var body = await response.Content.ReadAsStringAsync();
        Assert.Contains(ProblemTypes.Unauthenticated, body, StringComparison.Ordinal);
        Assert.Contains("email or password is wrong", body, StringComparison.Ordinal);
        Assert.DoesNotContain(password, body, StringComparison.Ordinal);
    }

    [Theory]
    [InlineData("{")]
    [InlineData("[]")]
    [InlineData("{\"email\": 5}")]
    [InlineData("{}")]
    [InlineData("null")]
    public async Task Login_MalformedBody_Answers400(string json)
    {
        var response = await _node.CreateClient().PostAsync(ApiRoutes.Login, new StringContent(json, Encoding.UTF8, "application/json"));
        Assert.Equal(HttpStatusCode.BadRequest, response.StatusCode);
    }

    [Fact]
    public async Task Login_OversizedBody_IsRefused()
    {
        var huge = "{\"email\":\"" + new string('a', 2_000_000) + "\",\"password\":\"x\"}";
        var response = await _node.CreateClient().PostAsync(ApiRoutes.Login, new StringContent(huge, Encoding.UTF8, "application/json"));
        Assert.True(response.StatusCode is HttpStatusCode.RequestEntityTooLarge or HttpStatusCode.BadRequest, response.StatusCode.ToString());
    }

    [Theory]
    [InlineData("GET", ApiRoutes.Me)]
    [InlineData("GET", ApiRoutes.Users)]
    [InlineData("GET", ApiRoutes.Audit)]
    [InlineData("POST", ApiRoutes.Logout)]
    [InlineData("POST", ApiRoutes.Invitations)]
    public async Task Endpoints_WithoutToken_Answer401ProblemDetails(string method, string route)
    {
        var response = await _node.CreateClient().SendAsync(new HttpRequestMessage(new HttpMethod(method), route));
        Assert.Equal(HttpStatusCode.Unauthorized, response.StatusCode);
        Assert.Equal("application/problem+json", response.Content.Headers.ContentType?.MediaType);
    }

    [Theory]
    [InlineData("Bearer not-a-real-token")]
    [InlineData("Bearer ")]
    [InlineData("Basic b3duZXI6cGFzcw==")]
    public async Task Endpoints_WithBadToken_Answer401(string header)
    {
        var client = _node.CreateClient();
        client.DefaultRequestHeaders.TryAddWithoutValidation("Authorization", header);
        Assert.Equal(HttpStatusCode.Unauthorized, (await client.GetAsync(ApiRoutes.Me)).StatusCode);
    }

    [Fact]
    public async Task Logout_RevokesToken()
    {
        var client = await _node.LoginAsync();
        Assert.Equal(HttpStatusCode.NoContent, (await client.PostAsync(ApiRoutes.Logout, null)).StatusCode);
        Assert.Equal(HttpStatusCode.Unauthorized, (await client.GetAsync(ApiRoutes.Me)).StatusCode);
    }

    [Fact]
    public async Task TamperedToken_Answers401()
    {
        var client = await _node.LoginAsync();
        var token = client.DefaultRequestHeaders.Authorization!.Parameter!;
        client.DefaultRequestHeaders.Authorization = new AuthenticationHeaderValue("Bearer", token[..^1] + (token[^1] == 'A' ? 'B' : 'A'));
        Assert.Equal(HttpStatusCode.Unauthorized, (await client.GetAsync(ApiRoutes.Me)).StatusCode);
    }

    [Fact]
    public async Task Invitation_RegistersActiveDataScientist_WhoCannotListUsersOrAudit()
    {
        var (client, user) = await _node.AddUserAsync(Role.DataScientist, "ds1@lab.example");
        Assert.Equal(Role.DataScientist, user.Role);
        Assert.Equal(AccountStatus.Active, user.Status);
        Assert.Equal(HttpStatusCode.Forbidden, (await client.GetAsync(ApiRoutes.Users)).StatusCode);
        Assert.Equal(HttpStatusCode.Forbidden, (await client.GetAsync(ApiRoutes.Audit)).StatusCode);
        Assert.Equal(HttpStatusCode.Forbidden,
            (await client.PostAsJsonAsync(ApiRoutes.Invitations, new InvitationRequest("x@y.example", Role.Guest), NodeFactory.Json)).StatusCode);
    }

    [Fact]
    public async Task Invitation_UsedTwice_IsRefused()
    {
        var owner = await _node.LoginAsync();
        var invitation = await (await owner.PostAsJsonAsync(ApiRoutes.Invitations, new InvitationRequest("twice@lab.example", Role.Guest), NodeFactory.Json))
            .Content.ReadFromJsonAsync<InvitationResponse>(NodeFactory.Json);
        var first = await _node.CreateClient().PostAsJsonAsync(ApiRoutes.Register,
            new RegisterRequest("twice@lab.example", "first long password", invitation!.Code), NodeFactory.Json);
        Assert.Equal(HttpStatusCode.Created, first.StatusCode);
        var second = await _node.CreateClient().PostAsJsonAsync(ApiRoutes.Register,
            new RegisterRequest("twice@lab.example", "second long password", invitation.Code), NodeFactory.Json);
        Assert.Equal(HttpStatusCode.BadRequest, second.StatusCode);
    }

    [Fact]
    public async Task Registration_WithoutInvitation_IsPendingUntilApproved()
    {
        var anonymous = _node.CreateClient();
        var created = await (await anonymous.PostAsJsonAsync(ApiRoutes.Register,
            new RegisterRequest("walkin@lab.example", "walk-in password", null), NodeFactory.Json)).Content.ReadFromJsonAsync<UserInfo>(NodeFactory.Json);
        Assert.Equal(AccountStatus.Pending, created!.Status);
        var denied = await anonymous.PostAsJsonAsync(ApiRoutes.Login, new LoginRequest("walkin@lab.example", "walk-in password"), NodeFactory.Json);
        Assert.Equal(HttpStatusCode.Unauthorized, denied.StatusCode);
        Assert.Contains("approval", await denied.Content.ReadAsStringAsync(), StringComparison.Ordinal);

        var owner = await _node.LoginAsync();
        var approved = await owner.PostAsync(ApiRoutes.Approve.Replace("{id}", created.Id, StringComparison.Ordinal), null);
        Assert.Equal(HttpStatusCode.OK, approved.StatusCode);
        await _node.LoginAsync("walkin@lab.example", "walk-in password");
    }

    [Theory]
    [InlineData("00000000000000000000000000000000")]
    [InlineData("not-an-id")]
    [InlineData("..%2F..%2Fetc%2Fpasswd")]
    [InlineData("' OR 1=1 --")]
    public async Task Approve_GuessedOrMalformedId_Answers404(string id)
    {
        var owner = await _node.LoginAsync();
        var response = await owner.PostAsync(ApiRoutes.Approve.Replace("{id}", Uri.EscapeDataString(id), StringComparison.Ordinal), null);
        Assert.Equal(HttpStatusCode.NotFound, response.StatusCode);
    }

    [Theory]
    [InlineData("not an email", "a long enough password")]
    [InlineData("short@pw.example", "short")]
    [InlineData("", "a long enough password")]
    public async Task Register_BadInput_Answers400WithReason(string email, string password)
    {
        var response = await _node.CreateClient().PostAsJsonAsync(ApiRoutes.Register, new RegisterRequest(email, password, null), NodeFactory.Json);
        Assert.Equal(HttpStatusCode.BadRequest, response.StatusCode);
        Assert.DoesNotContain(password.Length > 5 ? password : "\u0000", await response.Content.ReadAsStringAsync(), StringComparison.Ordinal);
    }

    [Fact]
    public async Task Register_DuplicateEmail_Answers409()
    {
        await _node.CreateClient().PostAsJsonAsync(ApiRoutes.Register, new RegisterRequest("dup@lab.example", "duplicate password", null), NodeFactory.Json);
        var again = await _node.CreateClient().PostAsJsonAsync(ApiRoutes.Register, new RegisterRequest("DUP@lab.example", "duplicate password", null), NodeFactory.Json);
        Assert.Equal(HttpStatusCode.Conflict, again.StatusCode);
    }

    [Fact]
    public async Task Audit_RecordsLoginsAndDenials_WithoutSecrets()
    {
        await _node.CreateClient().PostAsJsonAsync(ApiRoutes.Login, new LoginRequest(NodeFactory.OwnerEmail, "wrong password!!"), NodeFactory.Json);
        var owner = await _node.LoginAsync();
        var entries = await owner.GetFromJsonAsync<List<AuditEntryInfo>>(ApiRoutes.Audit, NodeFactory.Json);
        Assert.Contains(entries!, e => e.Action == "user.login" && e.Outcome == "denied");
        Assert.Contains(entries!, e => e.Action == "user.login" && e.Outcome == "success");
        var raw = await owner.GetStringAsync(ApiRoutes.Audit);
        Assert.DoesNotContain(NodeFactory.OwnerPassword, raw, StringComparison.Ordinal);
        Assert.DoesNotContain("wrong password", raw, StringComparison.Ordinal);
    }

    [Fact]
    public async Task OpenApiDocument_ListsTheRoutes()
    {
        var doc = await _node.CreateClient().GetStringAsync("/openapi/v1.json");
        Assert.Contains(ApiRoutes.Login, doc, StringComparison.Ordinal);
        Assert.Contains(ApiRoutes.Audit, doc, StringComparison.Ordinal);
    }

    [Fact]
    public async Task Database_StoresNoPlainSecrets()
    {
        var text = await _node.ReadStoredTextAsync();
        Assert.DoesNotContain(NodeFactory.OwnerPassword, text, StringComparison.Ordinal);
        Assert.Contains("pbkdf2-sha256$", text, StringComparison.Ordinal);
    }
}
