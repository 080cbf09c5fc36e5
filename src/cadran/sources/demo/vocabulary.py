"""Names of things: sectors and their products, brands, people, hashtags and link paths.

French product names carry their article ("la bougie parfumée") because French templates need
it in front of the name while English ones write "the"; ``product_forms`` gives both forms.
"""

from __future__ import annotations

from dataclasses import dataclass


@dataclass(frozen=True)
class Sector:
    """A line of business: what the brand sells and how its customers buy."""

    key: str
    products: dict[str, tuple[str, ...]]  # French names carry their article: "la bougie"
    hashtags: dict[str, tuple[str, ...]]
    female_share: float  # share of women in the audience
    order_value: float  # mean order value, in the workspace currency
    order_gap_days: float  # mean days between two orders of a customer
    subscription: bool  # orders come monthly, like clockwork


SECTORS: tuple[Sector, ...] = (
    Sector(
        "maison",
        products={
            "fr": ("la bougie parfumée", "le plaid en lin", "le vase en céramique",
                   "le diffuseur d'ambiance", "le coussin brodé", "la lampe en rotin"),
            "en": ("scented candle", "linen throw", "ceramic vase", "reed diffuser",
                   "embroidered cushion", "rattan lamp"),
        },
        hashtags={
            "fr": ("#décoration", "#maison", "#faitmain", "#cocooning", "#intérieur"),
            "en": ("#homedecor", "#interiors", "#handmade", "#cosyhome", "#slowliving"),
        },
        female_share=0.68,
        order_value=78.0,
        order_gap_days=40.0,
        subscription=False,
    ),
    Sector(
        "cafe",
        products={
            "fr": ("le café de spécialité", "le moulin manuel", "le coffret dégustation",
                   "le café d'Éthiopie", "la tasse en grès", "l'abonnement café"),
            "en": ("specialty coffee", "hand grinder", "tasting box", "Ethiopian coffee",
                   "stoneware mug", "coffee subscription"),
        },
        hashtags={
            "fr": ("#café", "#torréfaction", "#barista", "#pausecafé", "#caféfrançais"),
            "en": ("#coffee", "#roastery", "#barista", "#coffeetime", "#specialtycoffee"),
        },
        female_share=0.48,
        order_value=38.0,
        order_gap_days=20.0,
        subscription=False,
    ),
    Sector(
        "sport",
        products={
            "fr": ("la chaussure de trail", "la veste coupe-vent", "la gourde isotherme",
                   "le sac à dos 20 L", "le legging de running", "la frontale rechargeable"),
            "en": ("trail shoes", "windproof jacket", "insulated bottle", "20 L backpack",
                   "running tights", "rechargeable headlamp"),
        },
        hashtags={
            "fr": ("#trail", "#running", "#outdoor", "#montagne", "#sportif"),
            "en": ("#trailrunning", "#running", "#outdoors", "#mountains", "#fitness"),
        },
        female_share=0.42,
        order_value=120.0,
        order_gap_days=60.0,
        subscription=False,
    ),
    Sector(
        "beaute",
        products={
            "fr": ("le sérum hydratant", "la crème de jour", "l'huile démaquillante",
                   "le baume à lèvres", "le masque à l'argile", "l'eau micellaire"),
            "en": ("hydrating serum", "day cream", "cleansing oil", "lip balm", "clay mask",
                   "micellar water"),
        },
        hashtags={
            "fr": ("#beauté", "#skincare", "#cosmétiquebio", "#routinebeauté", "#naturel"),
            "en": ("#beauty", "#skincare", "#cleanbeauty", "#selfcare", "#glowingskin"),
        },
        female_share=0.78,
        order_value=62.0,
        order_gap_days=32.0,
        subscription=False,
    ),
    Sector(
        "logiciel",
        products={
            "fr": ("le tableau de bord", "le module de facturation", "l'application mobile",
                   "l'intégration API", "l'assistant de planification", "le rapport automatique"),
            "en": ("dashboard", "invoicing module", "mobile app", "API integration",
                   "planning assistant", "automated report"),
        },
        hashtags={
            "fr": ("#SaaS", "#productivité", "#PME", "#transformationdigitale", "#startup"),
            "en": ("#SaaS", "#productivity", "#SMB", "#digitaltransformation", "#startup"),
        },
        female_share=0.38,
        order_value=59.0,
        order_gap_days=30.0,
        subscription=True,
    ),
    Sector(
        "mode",
        products={
            "fr": ("le jean brut", "le pull en mérinos", "la basket en cuir", "la chemise en lin",
                   "le trench léger", "le sac cabas"),
            "en": ("raw denim jeans", "merino jumper", "leather sneakers", "linen shirt",
                   "light trench coat", "tote bag"),
        },
        hashtags={
            "fr": ("#mode", "#modeéthique", "#fabriquéenfrance", "#tenue", "#style"),
            "en": ("#fashion", "#slowfashion", "#ootd", "#style", "#madeineurope"),
        },
        female_share=0.62,
        order_value=95.0,
        order_gap_days=45.0,
        subscription=False,
    ),
    Sector(
        "voyage",
        products={
            "fr": ("le week-end à Lisbonne", "le séjour en van", "la carte cadeau",
                   "la chambre avec vue", "le circuit en Islande", "l'escapade en Bretagne"),
            "en": ("Lisbon weekend", "campervan trip", "gift card", "room with a view",
                   "Iceland tour", "Brittany getaway"),
        },
        hashtags={
            "fr": ("#voyage", "#évasion", "#vacances", "#roadtrip", "#weekend"),
            "en": ("#travel", "#getaway", "#holiday", "#roadtrip", "#wanderlust"),
        },
        female_share=0.55,
        order_value=380.0,
        order_gap_days=180.0,
        subscription=False,
    ),
)  # fmt: skip

BRAND_PREFIXES = ("Maison", "Atelier", "Studio", "Comptoir", "Les Jardins de", "Nord", "Oh",
                  "Petit", "Grand", "Café", "Le Repaire de", "Belle", "Terre de", "Ô", "Mon",
                  "La Fabrique", "Archipel", "Origine", "Les Ateliers", "Rive", "Alto", "Hôtel",
                  "Monsieur", "Madame", "Bureau", "Escale", "Sentier", "Collectif", "Verso",
                  "Prisme")  # fmt: skip
BRAND_CORES = ("Lumière", "Sable", "Opale", "Bruyère", "Cèdre", "Lavande", "Azur", "Granit",
               "Mistral", "Ambre", "Corail", "Ficelle", "Basalte", "Noisette", "Brume", "Orage",
               "Galet", "Pivoine", "Safran", "Velours", "Cobalt", "Ardoise", "Tilleul", "Cannelle",
               "Écume", "Horizon", "Boréal", "Papyrus", "Olive", "Carmin", "Sirocco", "Mimosa",
               "Nacre", "Castor", "Comète", "Lin", "Fougère", "Indigo", "Perle", "Aurore", "Figue",
               "Marée", "Quartz", "Zéphyr", "Sorbet", "Cumin", "Rotin", "Houblon", "Glycine",
               "Étoile", "Pollen", "Cerise", "Myrtille", "Argile", "Poivre", "Bambou", "Jasmin",
               "Menthe", "Sequoia", "Vanille")  # fmt: skip
LINK_PATHS = ("", "boutique", "nouveautes", "blog/guide", "offres", "a-propos", "contact")
FIRST_NAMES = ("camille", "lea", "manon", "chloe", "ines", "sarah", "julie", "emma", "lucie",
               "marie", "thomas", "lucas", "hugo", "nicolas", "julien", "maxime", "antoine",
               "kevin", "yanis", "karim", "sophie", "claire", "anna", "olivia", "jack", "harry",
               "james", "emily", "grace", "noah", "liam", "mia", "amelia", "ella", "leo", "nina",
               "sam", "alex", "jade", "louise")  # fmt: skip
LAST_NAMES = ("martin", "bernard", "dubois", "durand", "lefebvre", "moreau", "laurent", "simon",
              "michel", "garcia", "roux", "fournier", "girard", "bonnet", "dupont", "lambert",
              "fontaine", "rousseau", "vincent", "muller", "smith", "jones", "taylor", "brown",
              "wilson", "evans", "walker", "wright", "green", "hall", "clarke",
              "lewis")  # fmt: skip
HANDLE_SUFFIXES = ("", "_", ".", "__", "_off", "_pro", "_photo", "_run", "_paris", "_uk")


def product_forms(name: str, language: str) -> tuple[str, str]:
    """The bare name and the name with its article ("bougie parfumée", "la bougie parfumée")."""
    if language != "fr":
        return name, f"the {name}"
    for article in ("le ", "la ", "l'"):
        if name.startswith(article):
            return name[len(article) :], name
    return name, name
