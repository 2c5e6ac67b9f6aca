"""The people of the demo community, written by hand so the directory reads like a real one.

Genres and professions are named as the reference-data migrations name them; a name that an
admin has since renamed or deleted is skipped, never an error.
"""

from dataclasses import dataclass


@dataclass(frozen=True)
class DemoArtist:
    stage_name: str
    city: str
    country: str
    genres: tuple[str, ...]
    bio: str
    on_roster: bool = False


@dataclass(frozen=True)
class DemoProfessional:
    name: str
    headline: str
    professions: tuple[str, ...]
    genres: tuple[str, ...]
    city: str
    country: str
    works_remotely: bool
    years_experience: int
    languages: tuple[str, ...]
    bio: str


# --- The demo log-ins' own profiles -------------------------------------------------------------

NINA = DemoArtist(
    "Nina Vale",
    "Milano",
    "IT",
    ("Indie", "Singer-Songwriter", "Italian Pop"),
    "I write small songs about big cities: night trams, borrowed flats, friends who move to "
    "Berlin. Nylon guitar, a cheap Casio and whatever the room sounds like.\n\n"
    "My second EP came out in the autumn and I'm now looking for a producer and a mixing "
    "engineer for a first full album, recorded as live as possible.",
    on_roster=True,
)
MARCO = DemoProfessional(
    "Marco Riva",
    "Producer and mixing engineer for indie, soul and everything with real drums",
    ("Producer", "Mixing engineer"),
    ("Indie", "Soul", "Rock", "Alternative"),
    "Bologna",
    "IT",
    True,
    12,
    ("it", "en"),
    "I run a small tracking and mix room in Bologna's Bolognina, with a Neve-style console, a "
    "tape machine that mostly works and a very good upright piano.\n\n"
    "Twelve years, about 150 releases, from first EPs to records on national radio. I like "
    "bands that rehearse, singers who want to sound like themselves, and deadlines that are "
    "written down. Remote mixing with two rounds of revisions included.",
)
GIULIA_ARTIST = DemoArtist(
    "Giulia Sole",
    "Napoli",
    "IT",
    ("Soul", "R&B", "Jazz"),
    "Neapolitan soul singer. I grew up between my grandmother's records and my brother's "
    "hip-hop tapes, and my songs still sound like both.\n\n"
    "Two singles out this year with a six-piece band; an album is on the way.",
)
GIULIA_PRO = DemoProfessional(
    "Giulia Sole",
    "Vocal coach and session singer: soul, pop, R&B",
    ("Vocal coach", "Session musician", "Songwriter"),
    ("Soul", "R&B", "Pop"),
    "Napoli",
    "IT",
    True,
    9,
    ("it", "en", "es"),
    "When I'm not on my own records I coach singers and sing on other people's. Breath, "
    "placement, stamina for long sessions, and getting a take that sounds like you on a "
    "Tuesday morning.\n\n"
    "Lessons in person in Naples or online; backing vocals recorded in my treated room and "
    "delivered as consolidated WAVs.",
)

# --- The community ------------------------------------------------------------------------------

ARTISTS: list[DemoArtist] = [
    DemoArtist(
        "Lume",
        "Torino",
        "IT",
        ("Electronic", "Ambient"),
        "Lume is Chiara Ferri's project: modular synths, field recordings from the Po valley and "
        "a lot of patience. Two EPs out, a third half-finished in a rented room above a bakery.",
        on_roster=True,
    ),
    DemoArtist(
        "I Cani Sciolti",
        "Bologna",
        "IT",
        ("Indie", "Rock"),
        "Four friends who still rehearse in the same cellar under via del Pratello where we "
        "started in 2016. Loud guitars, Italian lyrics, songs about trains that never leave on "
        "time.",
    ),
    DemoArtist(
        "Sara Ketty",
        "Roma",
        "IT",
        ("Italian Pop", "R&B"),
        "Singer and songwriter from Centocelle. I write about Rome at night and the people who "
        "keep it running. Working on my first full album with a live band.",
    ),
    DemoArtist(
        "Tommaso Greco Trio",
        "Napoli",
        "IT",
        ("Jazz",),
        "Piano trio playing originals and rearranged Neapolitan songs. We've played Umbria Jazz "
        "Winter and most of the small clubs between Naples and Salerno.",
    ),
    DemoArtist(
        "Verdemare",
        "Genova",
        "IT",
        ("Folk", "World"),
        "Songs in Genoese and Italian, mandolin, bouzouki and a harmonium we found at a church "
        "sale. Looking for a producer who isn't scared of acoustic instruments.",
    ),
    DemoArtist(
        "KAPPA.ZERO",
        "Milano",
        "IT",
        ("Hip-Hop", "Trap"),
        "Rapper from Quarto Oggiaro. Bars first, beats second. Three self-released mixtapes; "
        "now building a proper team around the next project.",
        on_roster=True,
    ),
    DemoArtist(
        "Elena Marchetti",
        "Firenze",
        "IT",
        ("Classical", "Soundtrack"),
        "Cellist and composer. I write for short films and theatre and record most of it at "
        "home with one good microphone and a lot of takes.",
    ),
    DemoArtist(
        "Nord Est",
        "Padova",
        "IT",
        ("Punk",),
        "Fast, short, loud. Three-piece from Padova, forty gigs last year across Veneto and "
        "Austria. We record live in one room and like it that way.",
    ),
    DemoArtist(
        "Marea Alta",
        "Bari",
        "IT",
        ("Latin", "Pop"),
        "Cumbia and pop from the Adriatic: seven musicians, two singers, one van. Summers on "
        "festival stages in Puglia, winters writing.",
        on_roster=True,
    ),
    DemoArtist(
        "Doppia Luna",
        "Palermo",
        "IT",
        ("Electronic", "House"),
        "DJ duo and producers. Long sets, tracks for Palermo's rooftops, and a few vinyl "
        "releases on small Berlin labels.",
    ),
    DemoArtist(
        "Ottavio",
        "Verona",
        "IT",
        ("Singer-Songwriter", "Folk"),
        "Voice, acoustic guitar and stories. A cantautore in the old sense: De André is the "
        "reason I started. First album out in the spring.",
        on_roster=True,
    ),
    DemoArtist(
        "Aurora Bassi",
        "Cagliari",
        "IT",
        ("Soul", "Gospel"),
        "I grew up singing in church in Quartu; now I sing soul with a horn section. Looking "
        "for a mixing engineer who loves warm old records as much as I do.",
        on_roster=True,
    ),
    DemoArtist(
        "Sotterraneo",
        "Trieste",
        "IT",
        ("Metal",),
        "Doom metal from the border. Long songs, low tunings, lyrics about the Karst. The last "
        "record was mixed in Ljubljana; the next one we'd like to make in Italy.",
    ),
    DemoArtist(
        "Fiamma",
        "Lecce",
        "IT",
        ("Italian Pop", "Dance"),
        "Pop singer from Salento writing with producers in Milan and Rome. Hooks first. Two "
        "singles in rotation on regional radio this summer.",
    ),
    DemoArtist(
        "Paolo Serra Quartet",
        "Perugia",
        "IT",
        ("Jazz", "Funk"),
        "Hammond, tenor sax, guitar and drums. Soul-jazz for people who think they don't like "
        "jazz. Residency every Thursday at a club near Corso Vannucci.",
    ),
    DemoArtist(
        "Bianca Neve",
        "Torino",
        "IT",
        ("Pop", "Electronic"),
        "Synth-pop with Italian lyrics, made on a laptop in San Salvario. Big choruses, cold "
        "synths, warm heart.",
    ),
    DemoArtist(
        "Sangue Blu",
        "Catania",
        "IT",
        ("Reggae",),
        "Roots reggae under Etna, singing in Sicilian and Italian. Ten years of sound systems "
        "and a first proper studio album in the works.",
    ),
    DemoArtist(
        "Mila Horvat",
        "Berlin",
        "DE",
        ("Techno",),
        "Croatian-born, Berlin-based. Hardware-only live sets and releases on my own small "
        "label. I spend every summer in Italy and want to work with more Italian engineers.",
    ),
    DemoArtist(
        "Les Lignes Claires",
        "Lyon",
        "FR",
        ("Indie", "Alternative"),
        "French-Italian indie band: two of us from Lyon, one from Turin. Jangly guitars and "
        "lyrics that switch language mid-chorus.",
    ),
    DemoArtist(
        "Inés Calvo",
        "Barcelona",
        "ES",
        ("Latin", "Singer-Songwriter"),
        "Songs with one foot in flamenco and one in bedroom pop. Recorded my debut EP in my "
        "flat in Gràcia; the next one deserves a real room.",
    ),
    DemoArtist(
        "Tejo",
        "Lisboa",
        "PT",
        ("World", "Folk"),
        "Fado-rooted trio: Portuguese guitar, double bass and voice. We play the old songs and "
        "write new ones that sound like they've always been there.",
    ),
    DemoArtist(
        "Harbour Lights",
        "Dublin",
        "IE",
        ("Folk", "Rock"),
        "Five-piece from the north side of Dublin. Fiddles and fuzz pedals. We toured Italy "
        "last spring and keep coming back for the audiences and the food.",
    ),
    DemoArtist(
        "Jonas Lind",
        "Stockholm",
        "SE",
        ("Pop", "Electronic"),
        "Swedish pop songwriter and producer releasing under my own name. Melancholy in major "
        "keys, mostly.",
    ),
    DemoArtist(
        "Nadia El Amrani",
        "Marseille",
        "FR",
        ("R&B", "Afrobeats"),
        "Singer from Marseille with roots in Casablanca. R&B with Afrobeats drums, sung in "
        "French, Arabic and English.",
    ),
    DemoArtist(
        "The Velvet Tram",
        "Amsterdam",
        "NL",
        ("Funk", "Soul"),
        "Nine-piece funk band with a horn section and a very patient sound engineer. Our live "
        "shows are sweaty; our records are getting there.",
    ),
    DemoArtist(
        "Kasia Nowak",
        "Warszawa",
        "PL",
        ("Alternative", "Ambient"),
        "Slow songs, piano and reverb. I studied classical piano in Kraków and forgot most of "
        "it on purpose.",
    ),
    DemoArtist(
        "Anemos",
        "Athens",
        "GR",
        ("World", "Electronic"),
        "Rebetiko samples over electronic beats, bouzouki through guitar pedals. Based in "
        "Exarchia, playing wherever there's a good sound system.",
    ),
    DemoArtist(
        "Greta Moser",
        "Zürich",
        "CH",
        ("Singer-Songwriter", "Folk"),
        "Swiss songwriter singing in English and Swiss German. Quiet songs about mountains "
        "and trains.",
    ),
    DemoArtist(
        "Drum Theory",
        "London",
        "GB",
        ("Drum & Bass", "Electronic"),
        "Liquid drum & bass from South London. Two of us, a lot of breaks and a soft spot for "
        "Italian jazz samples.",
    ),
    DemoArtist(
        "Ritmo Vulcano",
        "Napoli",
        "IT",
        ("Afrobeats", "Funk"),
        "Afrobeat collective from the Quartieri Spagnoli: Fela grooves, Neapolitan brass, "
        "eleven people on a stage built for six.",
    ),
]

PROFESSIONALS: list[DemoProfessional] = [
    DemoProfessional(
        "Luca Bellini",
        "Producer and mixing engineer for indie and alt-rock",
        ("Producer", "Mixing engineer"),
        ("Indie", "Rock", "Alternative"),
        "Bologna",
        "IT",
        True,
        14,
        ("it", "en"),
        "Fourteen years of guitars, mostly too loud. I produce bands from pre-production to "
        "final mix and I'll tell you honestly which song isn't ready yet.",
    ),
    DemoProfessional(
        "Francesca Neri",
        "Mastering engineer: loud when it needs to be, never squashed",
        ("Mastering engineer",),
        ("Electronic", "Pop", "Hip-Hop"),
        "Milano",
        "IT",
        True,
        11,
        ("it", "en"),
        "Mastering for streaming, vinyl and club play from a treated room in Isola. Free test "
        "master on your first track; 48-hour turnaround on singles.",
    ),
    DemoProfessional(
        "Davide Russo",
        "Session drummer, in your studio or from my own room",
        ("Session musician",),
        ("Rock", "Funk", "Pop"),
        "Roma",
        "IT",
        True,
        18,
        ("it", "en"),
        "Eighteen years behind the kit, on tour and in the studio. Remote sessions recorded "
        "on a vintage Ludwig with ten microphones; stems delivered the next day.",
    ),
    DemoProfessional(
        "Martina Conti",
        "Vocal coach for pop and soul singers",
        ("Vocal coach",),
        ("Pop", "Soul", "R&B"),
        "Torino",
        "IT",
        True,
        9,
        ("it", "en", "fr"),
        "I help singers find a voice that lasts a whole tour. Technique, breath and "
        "confidence, in person in Turin or online.",
    ),
    DemoProfessional(
        "Alessio Ferrara",
        "Music photographer: press shots, covers and live",
        ("Photographer",),
        ("Rock", "Indie", "Jazz"),
        "Napoli",
        "IT",
        False,
        7,
        ("it", "en"),
        "Film and digital. I've shot for bands in every club in Naples and a few festivals "
        "further north. Press kits delivered within a week.",
    ),
    DemoProfessional(
        "Giorgio Mancini",
        "Music videos on small budgets that don't look small",
        ("Videographer",),
        ("Hip-Hop", "Trap", "Pop"),
        "Milano",
        "IT",
        False,
        6,
        ("it",),
        "Director and DP. I plan the video around what you can afford, not the other way "
        "around. Shooting and editing in-house, colour included.",
    ),
    DemoProfessional(
        "Elisa Fabbri",
        "Recording engineer at a tracking room in Mestre",
        ("Recording engineer", "Mixing engineer"),
        ("Jazz", "Classical", "Folk"),
        "Venezia",
        "IT",
        False,
        15,
        ("it", "en", "de"),
        "Acoustic music is my thing: jazz ensembles, string quartets, choirs. Big live room, "
        "a Steinway B and a lot of ribbon microphones.",
    ),
    DemoProfessional(
        "Roberto Galli",
        "Artist manager: tours, label deals and the boring paperwork",
        ("Manager", "Booking agent"),
        ("Indie", "Rock", "Italian Pop"),
        "Milano",
        "IT",
        True,
        20,
        ("it", "en", "es"),
        "Twenty years managing artists, from first club tours to arenas. I take on few "
        "artists at a time and answer the phone.",
    ),
    DemoProfessional(
        "Chiara Lombardi",
        "Music PR: press, radio and playlists in Italy",
        ("PR",),
        ("Italian Pop", "Indie", "Singer-Songwriter"),
        "Roma",
        "IT",
        True,
        8,
        ("it", "en"),
        "Release campaigns for independent artists: national press, regional radio and the "
        "editorial playlists that matter. Honest reports, no vanity numbers.",
    ),
    DemoProfessional(
        "Matteo De Luca",
        "Beatmaker and producer for rap and R&B",
        ("Producer", "Songwriter"),
        ("Hip-Hop", "Trap", "R&B"),
        "Napoli",
        "IT",
        True,
        10,
        ("it",),
        "Beats from Secondigliano to the charts. Exclusive beats, co-production and "
        "songwriting sessions; I work fast and I keep the rough ideas rough.",
    ),
    DemoProfessional(
        "Sofia Ricci",
        "Session violinist and string arranger",
        ("Session musician",),
        ("Classical", "Soundtrack", "Pop"),
        "Firenze",
        "IT",
        True,
        13,
        ("it", "en"),
        "Conservatory-trained, pop-friendly. Single violin or a full string section built "
        "from overdubs; arrangements written to your chord chart.",
    ),
    DemoProfessional(
        "Andrea Colombo",
        "Mixing engineer for hip-hop, trap and everything with 808s",
        ("Mixing engineer",),
        ("Hip-Hop", "Trap"),
        "Milano",
        "IT",
        True,
        9,
        ("it", "en"),
        "Vocals up front, low end that translates to car stereos. Unlimited revisions on "
        "the first mix, stems on request.",
    ),
    DemoProfessional(
        "Valentina Moretti",
        "Graphic designer: covers, merch and social kits",
        ("Graphic designer",),
        ("Indie", "Electronic", "Pop"),
        "Bologna",
        "IT",
        True,
        6,
        ("it", "en"),
        "Album art, lyric videos, tour posters and T-shirts. I read your lyrics before I "
        "open Illustrator.",
    ),
    DemoProfessional(
        "Lorenzo Barbieri",
        "Studio and live bassist, electric and upright",
        ("Session musician",),
        ("Jazz", "Funk", "Soul"),
        "Perugia",
        "IT",
        True,
        16,
        ("it", "en"),
        "Groove first. Upright for jazz and acoustic records, P-bass for everything else. "
        "Remote sessions DI plus amp, same-day delivery on single tracks.",
    ),
    DemoProfessional(
        "Federica Marino",
        "Songwriter and topliner for pop",
        ("Songwriter",),
        ("Pop", "Italian Pop", "Dance"),
        "Milano",
        "IT",
        True,
        7,
        ("it", "en", "es"),
        "Melodies and lyrics in Italian, English and Spanish. Co-writes in person or "
        "online; splits agreed before we start.",
    ),
    DemoProfessional(
        "Simone Testa",
        "Mastering for vinyl and streaming",
        ("Mastering engineer",),
        ("Rock", "Jazz", "Metal"),
        "Torino",
        "IT",
        True,
        22,
        ("it", "en"),
        "Analogue chain, digital precision. Twenty-two years and more than a thousand records, "
        "including cutting references for vinyl.",
    ),
    DemoProfessional(
        "Giada Esposito",
        "Booking agent for festivals and clubs in the South",
        ("Booking agent",),
        ("Latin", "Reggae", "World"),
        "Bari",
        "IT",
        False,
        9,
        ("it", "en"),
        "Summer festival routes across Puglia, Basilicata and Calabria, and the winter club "
        "circuit. I only book artists I've seen live.",
    ),
    DemoProfessional(
        "Nicola Pellegrini",
        "Producer for singer-songwriters: arrangements that serve the song",
        ("Producer",),
        ("Singer-Songwriter", "Folk", "Indie"),
        "Verona",
        "IT",
        True,
        12,
        ("it",),
        "I start from voice and guitar and add only what the song asks for. Strings, "
        "woodwinds and vintage keys on call.",
    ),
    DemoProfessional(
        "Irene Santoro",
        "Music video director and editor",
        ("Videographer",),
        ("Indie", "Electronic", "Soul"),
        "Roma",
        "IT",
        True,
        8,
        ("it", "en"),
        "Narrative videos, live sessions and visualisers. I shoot in Rome and edit for "
        "artists anywhere.",
    ),
    DemoProfessional(
        "Stefano Caruso",
        "Recording engineer and studio owner in Catania",
        ("Recording engineer",),
        ("Rock", "Metal", "Punk"),
        "Catania",
        "IT",
        False,
        17,
        ("it",),
        "Two rooms, a Trident console and enough amps to start a museum. Bands record live "
        "here; the sea is ten minutes away.",
    ),
    DemoProfessional(
        "Hannah Becker",
        "Mix and mastering engineer for techno and house",
        ("Mixing engineer", "Mastering engineer"),
        ("Techno", "House", "Electronic"),
        "Berlin",
        "DE",
        True,
        12,
        ("de", "en"),
        "Club-ready mixes from Kreuzberg. I test every master on a real sound system before "
        "it leaves the studio.",
    ),
    DemoProfessional(
        "Pierre Dubois",
        "Photographer for jazz and classical musicians",
        ("Photographer",),
        ("Jazz", "Classical"),
        "Paris",
        "FR",
        False,
        15,
        ("fr", "en"),
        "Portraits in natural light and concert photography. Booklets, posters and press "
        "kits for labels across Europe.",
    ),
    DemoProfessional(
        "Lucía Fernández",
        "Producer and multi-instrumentalist, Latin and pop",
        ("Producer", "Session musician"),
        ("Latin", "Pop", "World"),
        "Madrid",
        "ES",
        True,
        10,
        ("es", "en", "pt"),
        "Guitar, tres, percussion and a lot of synths. I produce Latin pop that still sounds "
        "played by people.",
    ),
    DemoProfessional(
        "João Almeida",
        "Session guitarist: Portuguese, acoustic and electric",
        ("Session musician",),
        ("World", "Folk", "Jazz"),
        "Porto",
        "PT",
        True,
        19,
        ("pt", "es", "en"),
        "Portuguese guitar for fado and beyond, steel-string for folk, a Telecaster for the "
        "rest. Remote sessions from my studio in Porto.",
    ),
    DemoProfessional(
        "Emma Clarke",
        "Music PR for UK and Irish press",
        ("PR",),
        ("Folk", "Indie", "Rock"),
        "London",
        "GB",
        True,
        11,
        ("en",),
        "Campaigns for European artists breaking into UK and Irish media: reviews, "
        "interviews and BBC regional radio.",
    ),
    DemoProfessional(
        "Daan de Vries",
        "Mastering engineer for dance music",
        ("Mastering engineer",),
        ("House", "Techno", "Dance"),
        "Amsterdam",
        "NL",
        True,
        14,
        ("nl", "en", "de"),
        "Fourteen years of dance-floor masters. Stem mastering available; vinyl pre-masters "
        "on request.",
    ),
    DemoProfessional(
        "Anna Kowalska",
        "Vocal coach, classical and contemporary",
        ("Vocal coach",),
        ("Classical", "Pop", "Soul"),
        "Warszawa",
        "PL",
        True,
        12,
        ("pl", "en"),
        "Opera-trained coach working with pop and soul singers. Healthy technique first, "
        "then style.",
    ),
    DemoProfessional(
        "Nikos Papadakis",
        "Producer for world and electronic crossovers",
        ("Producer",),
        ("World", "Electronic", "Ambient"),
        "Athens",
        "GR",
        True,
        9,
        ("el", "en"),
        "Traditional instruments meet modular synths. I've produced records that were played "
        "in tavernas and at Sónar.",
    ),
    DemoProfessional(
        "Lena Gruber",
        "Artist manager based in Vienna",
        ("Manager",),
        ("Jazz", "Classical", "Indie"),
        "Wien",
        "AT",
        True,
        13,
        ("de", "en", "it"),
        "Management for artists touring the German-speaking countries and Northern Italy. "
        "Strong relationships with venues from Munich to Trieste.",
    ),
    DemoProfessional(
        "Oskar Nilsson",
        "Songwriter and pop producer",
        ("Songwriter", "Producer"),
        ("Pop", "Dance", "Electronic"),
        "Stockholm",
        "SE",
        True,
        15,
        ("sv", "en"),
        "Scandinavian pop craft: tight songs, clean productions, toplines that stick. Remote "
        "co-writes twice a week.",
    ),
    DemoProfessional(
        "Claire Martin",
        "Graphic designer for album art and typography",
        ("Graphic designer",),
        ("Jazz", "Classical", "Folk"),
        "Lyon",
        "FR",
        True,
        10,
        ("fr", "en"),
        "Covers and booklets with a love for type. I design for vinyl first and make it work "
        "as a thumbnail too.",
    ),
    DemoProfessional(
        "Marco Fontana",
        "Live recording and concert sound",
        ("Recording engineer",),
        ("Rock", "Jazz"),
        "Genova",
        "IT",
        False,
        21,
        ("it", "en"),
        "Multitrack recordings of your shows with my mobile rig, mixed for release. Front of "
        "house on request.",
    ),
    DemoProfessional(
        "Beatrice Gallo",
        "Session singer and backing vocalist",
        ("Session musician", "Vocal coach"),
        ("Soul", "Gospel", "Pop"),
        "Milano",
        "IT",
        True,
        8,
        ("it", "en"),
        "Backing vocals, choirs built from stacks, and the occasional lead. I've sung on tour "
        "with major Italian pop acts.",
    ),
    DemoProfessional(
        "Tommaso Villa",
        "Drummer and percussionist for studio sessions",
        ("Session musician",),
        ("Latin", "Jazz", "World"),
        "Palermo",
        "IT",
        True,
        11,
        ("it", "es"),
        "Congas, cajón, frame drums and a jazz kit. Remote percussion overdubs within 48 hours.",
    ),
    DemoProfessional(
        "Rachele D'Angelo",
        "Photographer: portraits and album covers",
        ("Photographer",),
        ("Italian Pop", "Singer-Songwriter", "Indie"),
        "Lecce",
        "IT",
        False,
        5,
        ("it",),
        "Portraits in the white light of Salento. Covers, press photos and behind-the-scenes "
        "for recording sessions.",
    ),
    DemoProfessional(
        "Fabio Rinaldi",
        "Producer for drum & bass and bass music",
        ("Producer", "Mixing engineer"),
        ("Drum & Bass", "Electronic"),
        "Trieste",
        "IT",
        True,
        10,
        ("it", "en", "de"),
        "Ten years of breaks and basslines. Co-production, mixdowns and sound design; "
        "releases on UK labels.",
    ),
    DemoProfessional(
        "Silvia Greco",
        "Music PR and social media for independent artists",
        ("PR",),
        ("Pop", "Hip-Hop", "R&B"),
        "Napoli",
        "IT",
        True,
        6,
        ("it", "en"),
        "Press releases, social content plans and creator partnerships for releases on a budget.",
    ),
    DemoProfessional(
        "Kofi Mensah",
        "Producer: Afrobeats, Afro-house and R&B",
        ("Producer",),
        ("Afrobeats", "R&B", "House"),
        "Bruxelles",
        "BE",
        True,
        8,
        ("en", "fr"),
        "Ghanaian-Belgian producer. Log drums, live percussion and soft synth pads; I've "
        "worked with artists in Accra, Lagos, Paris and Milan.",
    ),
    DemoProfessional(
        "Ingrid Larsen",
        "Orchestrator and string arranger for film and records",
        ("Producer", "Session musician"),
        ("Soundtrack", "Classical", "Ambient"),
        "Copenhagen",
        "DK",
        True,
        14,
        ("en", "de"),
        "Orchestral arrangements, sample-based mock-ups and live string sessions with "
        "players I've worked with for years.",
    ),
    DemoProfessional(
        "Riccardo Leone",
        "Booking agent for clubs and festivals in the North",
        ("Booking agent", "Manager"),
        ("Techno", "House", "Electronic"),
        "Torino",
        "IT",
        False,
        12,
        ("it", "en"),
        "Club nights, festival slots and DJ tours across Piedmont, Lombardy and Liguria. "
        "Twelve years of promoters' phone numbers.",
    ),
]

RELEASE_TITLES = [
    "Luce di marzo",
    "Night Bus",
    "Ferro e vetro",
    "Bassa marea",
    "Ultimo treno",
    "Glass Rooms",
    "Salt",
    "Polvere",
    "Orbit",
    "Cemento",
    "Lanterne",
    "Sottovoce",
    "Static Bloom",
    "Nebbia",
    "Voltage",
    "Acqua alta",
    "Paper Moons",
    "Terra rossa",
    "Sud",
    "Velvet Hours",
    "Ritorno",
    "Northern Light",
    "Fuochi",
    "Sabbia",
    "Maestrale",
    "Open Windows",
    "Periferia",
    "Slow Motion",
    "Sirene",
    "Half Past Four",
    "Tramontana",
    "Città di notte",
]

LIVE_VENUES = [
    "Covo Club, Bologna",
    "Magnolia, Milano",
    "Monk, Roma",
    "Hiroshima Mon Amour, Torino",
    "Bronson, Ravenna",
    "Lanificio 159, Roma",
    "Bumbum, Napoli",
    "Festival Beat, Salsomaggiore",
    "Lido di Venezia beach stage",
    "Sala Apolo, Barcelona",
]
